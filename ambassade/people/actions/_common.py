"""What the people actions share: permission checks, snapshots of a person for the
audit log, the announcement of a new position, and what leaving means everywhere.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.people import notifications, signals
from ambassade.people.models import AccountInvitation, ApiToken, Person

POSITION_FIELDS = ("job_title", "department", "site", "manager")


def _require(actor: Actor | None, permission: str) -> Actor:
    if actor is None or not allowed(actor, permission):
        raise PermissionDenied
    return actor


def _same_organisation(actor: Actor, obj: Person) -> None:
    if obj.organisation_id != actor.organisation.pk:
        raise PermissionDenied


def _snapshot(person: Person) -> dict[str, Any]:
    """The person's fields as JSON-friendly values, for audit rows and change detection."""
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "job_title": person.job_title,
        "department": person.department.name if person.department else None,
        "site": person.site.name if person.site else None,
        "languages": list(person.languages),
        "manager": person.manager.full_name if person.manager else None,
        "employment_status": person.employment_status,
        "start_date": person.start_date.isoformat() if person.start_date else None,
        "end_date": person.end_date.isoformat() if person.end_date else None,
        "external_id": person.external_id,
        "employee_number": person.employee_number,
        "membership": person.membership,
    }


def _position(person: Person) -> dict[str, Any]:
    """What makes a position, by identity (two managers may share a name)."""
    return {
        "job_title": person.job_title,
        "department": person.department_id,
        "site": person.site_id,
        "manager": person.manager_id,
    }


def _announce_position_change(
    actor: Actor,
    person: Person,
    position_before: dict[str, Any],
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    position_after = _position(person)
    moved = [name for name in POSITION_FIELDS if position_before[name] != position_after[name]]
    if not moved:
        return
    old = {name: before[name] for name in moved}
    new = {name: after[name] for name in moved}
    signals.person_position_changed.send(
        sender=Person, person=person, actor=actor, before=old, after=new
    )
    notifications.position_changed(person, old, new, actor.person)


def _depart(person: Person, actor: Actor | None) -> None:
    """What leaving means everywhere: signal other apps, revoke tokens, audit."""
    now = timezone.now()
    revoked = ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
    AccountInvitation.objects.filter(
        person=person, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    person.__dict__.pop("role_set", None)
    signals.person_departed.send(sender=Person, person=person, actor=actor)
    audit.record(
        "person.departed",
        organisation=person.organisation,
        actor=actor,
        target=person,
        after={
            "end_date": person.end_date.isoformat() if person.end_date else None,
            "tokens_revoked": revoked,
            "alumni": person.alumni,
        },
    )
