"""Logging, changing and deleting one's contributions; recording report downloads."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.contributions.models import Contribution, Kind
from ambassade.core import audit, events
from ambassade.core.authz import Actor, allowed
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program

EDITABLE = ("kind", "title", "occurred_on", "url", "audience", "notes", "program_id")
# Older dates are almost always a typo in the year (0224, 1024).
EARLIEST = date(1970, 1, 1)


def _person(actor: Actor) -> Person:
    if not allowed(actor, "contributions.manage_own") or actor.person is None:
        raise PermissionDenied
    return actor.person


def _own(actor: Actor, contribution: Contribution) -> Person:
    person = _person(actor)
    if contribution.person_id != person.pk:
        raise PermissionDenied
    return person


def _today_for(person: Person) -> date:
    # The person's own calendar: a talk given this morning in Montréal is not "tomorrow".
    from ambassade.sharing.scheduling import zone_of

    return timezone.localdate(timezone.now(), zone_of(person))


def _clean(person: Person, values: dict[str, Any]) -> dict[str, Any]:
    """The values made tidy, or a ValidationError naming each field that is wrong."""
    errors: dict[str, str] = {}
    cleaned = dict(values)
    if values.get("kind") not in Kind.values:
        errors["kind"] = _("Choose a kind: talk, article, event, training, mentoring or other.")
    title = (values.get("title") or "").strip()
    cleaned["title"] = title
    if not title:
        errors["title"] = _("Give the contribution a title.")
    elif len(title) > 200:
        errors["title"] = _("The title is longer than 200 characters.")
    occurred_on = values.get("occurred_on")
    if not isinstance(occurred_on, date):
        errors["occurred_on"] = _("Give the date it took place, such as 2026-03-31.")
    elif occurred_on > _today_for(person):
        errors["occurred_on"] = _(
            "This date is in the future: log a contribution once it has taken place."
        )
    elif occurred_on < EARLIEST:
        errors["occurred_on"] = _("Check the year of this date.")
    url = (values.get("url") or "").strip()
    cleaned["url"] = url
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = _("Give a web address starting with http:// or https://.")
        if len(url) > 2048:
            errors["url"] = _("The address is longer than 2,048 characters.")
    for name, limit in (("audience", 200), ("notes", 500)):
        text = (values.get(name) or "").strip()
        cleaned[name] = text
        if len(text) > limit:
            errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    program_id = values.get("program_id")
    if program_id is not None:
        enrolled = Enrolment.objects.filter(
            person=person, program_id=program_id, program__organisation_id=person.organisation_id
        ).exists()
        if not enrolled:
            errors["program_id"] = _("Choose one of your programs, or none.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _snapshot(contribution: Contribution) -> dict[str, Any]:
    return {
        "kind": contribution.kind,
        "title": contribution.title,
        "occurred_on": contribution.occurred_on.isoformat(),
        "url": contribution.url,
        "audience": contribution.audience,
        "notes": contribution.notes,
        "program_id": contribution.program_id,
    }


@transaction.atomic
def add_contribution(
    actor: Actor,
    *,
    kind: str,
    title: str,
    occurred_on: date | None,
    url: str = "",
    audience: str = "",
    notes: str = "",
    program_id: int | None = None,
) -> Contribution:
    person = _person(actor)
    values = _clean(
        person,
        {
            "kind": kind,
            "title": title,
            "occurred_on": occurred_on,
            "url": url,
            "audience": audience,
            "notes": notes,
            "program_id": program_id,
        },
    )
    contribution = Contribution.objects.create(
        organisation=person.organisation, person=person, **values
    )
    audit.record(
        "contribution.added",
        organisation=actor.organisation,
        actor=actor,
        target=contribution,
        after=_snapshot(contribution),
    )
    # There is no approval step: recognition counts a contribution once it is logged.
    events.record(
        "contributions.contribution_logged",
        person.organisation,
        contribution_id=contribution.pk,
        person_id=person.pk,
        program_id=contribution.program_id,
        kind=contribution.kind,
    )
    return contribution


@transaction.atomic
def change_contribution(actor: Actor, contribution: Contribution, **changes: Any) -> Contribution:
    person = _own(actor, contribution)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    before = _snapshot(contribution)
    current = {name: getattr(contribution, name) for name in EDITABLE}
    values = _clean(person, {**current, **changes})
    for name, value in values.items():
        setattr(contribution, name, value)
    contribution.save()
    after = _snapshot(contribution)
    changed = sorted(name for name in after if before[name] != after[name])
    if changed:
        audit.record(
            "contribution.changed",
            organisation=actor.organisation,
            actor=actor,
            target=contribution,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return contribution


@transaction.atomic
def delete_contribution(actor: Actor, contribution: Contribution) -> None:
    _own(actor, contribution)
    audit.record(
        "contribution.deleted",
        organisation=actor.organisation,
        actor=actor,
        target=contribution,
        before=_snapshot(contribution),
    )
    contribution.delete()


@transaction.atomic
def record_report_download(
    actor: Actor, person: Person, program: Program, start: date, end: date, file_format: str
) -> None:
    """Someone else's report is personal data leaving the platform: the log says who took it."""
    if actor.person is not None and actor.person.pk == person.pk:
        return
    audit.record(
        "contribution_report.downloaded",
        organisation=actor.organisation,
        actor=actor,
        target=person,
        after={
            "program_id": program.pk,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "days": (end - start).days + 1,
            "format": file_format,
        },
    )
