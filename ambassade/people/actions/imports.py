"""CSV imports of people: preview, apply, discard."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.people import imports
from ambassade.people.actions._common import (
    _announce_position_change,
    _depart,
    _position,
    _require,
    _snapshot,
)
from ambassade.people.models import EmploymentStatus, ImportStatus, PeopleImport, Person

# --- CSV import -------------------------------------------------------------------------


@transaction.atomic
def preview_import(actor: Actor, *, filename: str, content: bytes) -> PeopleImport:
    """Parses and plans the file; raises ValidationError({"file": ...}) when unreadable."""
    _require(actor, "people.import")
    try:
        rows = imports.parse(content)
    except imports.ImportFileError as error:
        raise ValidationError({"file": str(error)}) from error
    if not rows:
        raise ValidationError({"file": _("The file has a header but no people.")})
    planned = imports.plan(actor.organisation, rows)
    counts = imports.summary(planned)
    people_import = PeopleImport.objects.create(
        organisation=actor.organisation,
        created_by=actor.person,
        created_by_label=actor.label,
        filename=filename[:200],
        rows=rows,
        plan=[row.as_json() for row in planned],
        created=counts["create"],
        updated=counts["update"],
        unchanged=counts["unchanged"],
        invalid=counts["error"],
    )
    audit.record(
        "people_import.previewed",
        organisation=actor.organisation,
        actor=actor,
        target=people_import,
        after=counts,
    )
    return people_import


@transaction.atomic
def apply_import(actor: Actor, people_import: PeopleImport, *, only_valid: bool) -> dict[str, int]:
    """Applies a preview in one transaction. The plan is computed again, so changes made
    since the preview are taken into account; with errors and without ``only_valid``
    nothing is written."""
    _require(actor, "people.import")
    people_import = PeopleImport.objects.select_for_update().get(pk=people_import.pk)
    if people_import.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    if people_import.status != ImportStatus.PREVIEW:
        raise ValidationError(_("This import was already applied or discarded."))
    planned = imports.plan(actor.organisation, people_import.rows)
    counts = imports.summary(planned)
    if counts["error"] and not only_valid:
        raise ValidationError(
            _(
                "%(count)d lines have errors: nothing was imported. Correct the file, or "
                "choose to import only the valid lines."
            )
            % {"count": counts["error"]}
        )
    valid = [row for row in planned if row.action in {"create", "update"}]
    _write_import(actor, valid)
    people_import.status = ImportStatus.APPLIED
    people_import.only_valid = only_valid
    people_import.applied_at = timezone.now()
    people_import.created = counts["create"]
    people_import.updated = counts["update"]
    people_import.unchanged = counts["unchanged"]
    people_import.invalid = counts["error"]
    # The rows held personal data only for the preview; keep the line numbers and reasons.
    people_import.rows = []
    people_import.plan = [
        {"line": row.line, "action": row.action, "errors": row.errors}
        for row in planned
        if row.errors
    ]
    people_import.save()
    audit.record(
        "people_import.applied",
        organisation=actor.organisation,
        actor=actor,
        target=people_import,
        after={**counts, "only_valid": only_valid},
    )
    return counts


def _write_import(actor: Actor, rows: list[imports.PlannedRow]) -> None:
    """Creates in bulk, updates changed people, then links managers (who may be new)."""
    organisation = actor.organisation
    lookups = imports.Lookups.load(organisation)
    departments = {d.name: d for d in lookups.departments.values()}
    sites = {s.name: s for s in lookups.sites.values()}

    def assign(person: Person, values: dict[str, Any]) -> None:
        for name in ("first_name", "last_name", "job_title", "languages", "employment_status"):
            if name in values:
                setattr(person, name, values[name])
        if "department" in values:
            person.department = departments.get(values["department"] or "")
        if "site" in values:
            person.site = sites.get(values["site"] or "")
        for name in ("start_date", "end_date"):
            if name in values:
                setattr(person, name, date.fromisoformat(values[name]) if values[name] else None)
        if person.employment_status == EmploymentStatus.LEFT and person.end_date is None:
            person.end_date = timezone.localdate()

    new_people = []
    for row in rows:
        if row.action == "create":
            person = Person(organisation=organisation, email=row.email)
            assign(person, row.values)
            new_people.append(person)
    Person.objects.bulk_create(new_people, batch_size=1000)
    by_email = {p.email.lower(): p for p in Person.objects.filter(organisation=organisation)}
    for row in rows:
        if row.action != "update":
            continue
        person = lookups.people[row.email]
        before = _snapshot(person)
        position_before = _position(person)
        was_left = person.employment_status == EmploymentStatus.LEFT
        assign(person, row.values)
        if "manager" in row.values:
            person.manager = by_email.get(row.values["manager"] or "")
        person.save()
        after = _snapshot(person)
        changed = sorted(key for key in after if after[key] != before[key])
        audit.record(
            "person.updated",
            organisation=organisation,
            actor=actor,
            target=person,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
        _announce_position_change(actor, person, position_before, before, after)
        if not was_left and person.employment_status == EmploymentStatus.LEFT:
            _depart(person, actor)
    managed = []
    for row in rows:
        if row.action == "create" and row.values.get("manager"):
            person = by_email[row.email]
            person.manager = by_email.get(row.values["manager"])
            managed.append(person)
    Person.objects.bulk_update(managed, ["manager"], batch_size=1000)


@transaction.atomic
def discard_import(actor: Actor, people_import: PeopleImport) -> None:
    _require(actor, "people.import")
    if people_import.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    if people_import.status != ImportStatus.PREVIEW:
        return
    people_import.status = ImportStatus.DISCARDED
    people_import.rows = []
    people_import.plan = []
    people_import.save(update_fields=["status", "rows", "plan"])
    audit.record(
        "people_import.discarded",
        organisation=actor.organisation,
        actor=actor,
        target=people_import,
    )
