"""What every programs action shares: permission checks and the proof of consent."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core.authz import Actor, allowed, allowed_on_program
from ambassade.people.models import Person
from ambassade.programs.models import CharterAcceptance, CharterVersion, Enrolment, Program

INVITATION_DAYS = 30
CURRENT = (Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED)


def check(actor: Actor, permission: str, organisation_id: int | None = None) -> None:
    if not allowed(actor, permission):
        raise PermissionDenied
    if organisation_id is not None and organisation_id != actor.organisation.pk:
        raise PermissionDenied


def check_program(actor: Actor, permission: str, program: Program) -> None:
    """For the rules that depend on the program (HR runs the programs it owns)."""
    if not allowed_on_program(actor, permission, program):
        raise PermissionDenied


def own(actor: Actor, person_id: int) -> Person:
    """The acting person, who must be the one the invitation or enrolment is about."""
    if not allowed(actor, "enrolment.manage_own") or actor.person is None:
        raise PermissionDenied
    if actor.person.pk != person_id:
        raise PermissionDenied
    return actor.person


def on_commit(function: Any, *args: Any) -> None:
    transaction.on_commit(lambda: function.enqueue(*args))


def user_agent_family(user_agent: str) -> str:
    """The browser's family only ("Firefox", "Chrome"…): enough to tell where, never who."""
    agent = user_agent or ""
    for marker, family in (
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
        ("python-", "Python"),
        ("python/", "Python"),
    ):
        if marker in agent:
            return family
    return "Other" if agent else ""


def require_ticked(charter_accepted: bool) -> None:
    if not charter_accepted:
        raise ValidationError(
            {"accept_charter": _("Tick “I have read and accept the charter” to continue.")}
        )


def record_acceptance(
    actor: Actor, enrolment: Enrolment, version: CharterVersion, user_agent: str
) -> CharterAcceptance:
    return CharterAcceptance.objects.create(
        enrolment=enrolment,
        person=enrolment.person,
        version=version,
        content_hash=version.content_hash,
        channel=(
            CharterAcceptance.Channel.API if actor.via == "api" else CharterAcceptance.Channel.WEB
        ),
        user_agent_family=user_agent_family(user_agent),
    )
