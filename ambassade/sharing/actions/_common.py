from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ambassade.core.authz import Actor, allowed
from ambassade.people.models import Person


def check(actor: Actor, permission: str) -> None:
    if not allowed(actor, permission):
        raise PermissionDenied


def own_person(actor: Actor, permission: str) -> Person:
    check(actor, permission)
    if actor.person is None:
        raise PermissionDenied  # organisation tokens do not own social accounts
    return actor.person
