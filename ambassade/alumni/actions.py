"""Writes of the alumni app: one's own directory entry. Ending the alumni offer is a
people action (people.actions.end_alumni_offer): the pages here only call it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.alumni.models import DirectoryEntry
from ambassade.core import audit
from ambassade.core.authz import Actor, allowed

ROLE_LIMIT = 150


@transaction.atomic
def update_entry(actor: Actor, *, listed: bool, current_role: str = "") -> DirectoryEntry:
    if not allowed(actor, "alumni.directory_own") or actor.person is None:
        raise PermissionDenied
    current_role = " ".join((current_role or "").split())
    if len(current_role) > ROLE_LIMIT:
        raise ValidationError(
            {"current_role": _("At most %(limit)d characters.") % {"limit": ROLE_LIMIT}}
        )
    entry, _created = DirectoryEntry.objects.select_for_update().get_or_create(
        person=actor.person, defaults={"organisation": actor.organisation}
    )
    before = {"listed": entry.listed, "current_role": entry.current_role}
    entry.listed = listed
    entry.current_role = current_role
    entry.save()
    audit.record(
        "alumni.directory_entry_changed",
        organisation=actor.organisation,
        actor=actor,
        target=actor.person,
        before=before,
        after={"listed": listed, "current_role": current_role},
    )
    return entry
