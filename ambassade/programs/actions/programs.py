"""Changes to programs, their targets, their charter and the ambassador types."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.core import audit, events
from ambassade.core.authz import Actor, objectives_allowed
from ambassade.core.models import Organisation
from ambassade.core.roles import Role
from ambassade.people.models import Person
from ambassade.programs import charter, tasks
from ambassade.programs.actions._common import check, check_program, on_commit
from ambassade.programs.models import (
    KINDS_WITH_OWN_CHARTER,
    AmbassadorKind,
    AmbassadorType,
    CharterVersion,
    Enrolment,
    KpiTarget,
    Metric,
    Objective,
    Program,
)

# --- Ambassador types -------------------------------------------------------------------

DEFAULT_TYPES: dict[str, dict[str, Any]] = {
    AmbassadorKind.COMMUNITY_MANAGER: {
        "counts_in_evaluation": True,
        "required_training": gettext_lazy("Social media policy; crisis handling; brand accounts."),
        "posting_guidance": gettext_lazy(
            "Speaks for the brand as part of the job, within the editorial line."
        ),
    },
    AmbassadorKind.MISSION: {
        "counts_in_evaluation": True,
        "required_training": gettext_lazy(
            "Social selling or social recruiting; the company's policy."
        ),
        "posting_guidance": gettext_lazy(
            "Targets, profile and editorial line agreed with your manager."
        ),
    },
    AmbassadorKind.DESIGNATED: {
        "counts_in_evaluation": False,
        "required_training": gettext_lazy(
            "A briefing on the objectives and on speaking in public online."
        ),
        "posting_guidance": gettext_lazy("Your own voice and expertise; quality over frequency."),
    },
    AmbassadorKind.SUPPORTER: {
        "counts_in_evaluation": False,
        "required_training": gettext_lazy("None required; a short introduction is offered."),
        "posting_guidance": gettext_lazy(
            "Relay the items you choose, in your own words, when you wish."
        ),
    },
    AmbassadorKind.DE_FACTO: {
        "counts_in_evaluation": False,
        "may_contact": False,
        "required_training": gettext_lazy("None. Information on request."),
        "posting_guidance": gettext_lazy(
            "Never contacted automatically; only informed when they ask."
        ),
    },
    AmbassadorKind.ALUMNI: {
        "counts_in_evaluation": False,
        "required_training": gettext_lazy("None."),
        "posting_guidance": gettext_lazy("Former colleagues who wish to keep relaying news."),
    },
    AmbassadorKind.PARTNER: {
        "counts_in_evaluation": False,
        "required_training": gettext_lazy("The partners' charter and a short introduction."),
        "posting_guidance": gettext_lazy(
            "Independent sellers and distributors: say that you are a partner, not an employee."
        ),
    },
}


def ensure_default_types(organisation: Organisation) -> list[AmbassadorType]:
    """Creates the standard ambassador types an organisation lacks (idempotent).

    Their texts are written in the organisation's default language: the type has one
    text per field, which its admins then edit as their own.
    """
    existing = set(
        AmbassadorType.objects.filter(organisation=organisation).values_list("kind", flat=True)
    )
    with translation.override(organisation.default_language or "en"):
        missing = [
            AmbassadorType(
                organisation=organisation,
                kind=kind,
                # The lazy texts become plain strings in the language chosen above.
                **{
                    name: value if isinstance(value, bool) else str(value)
                    for name, value in defaults.items()
                },
            )
            for kind, defaults in DEFAULT_TYPES.items()
            if kind not in existing
        ]
    if missing:
        AmbassadorType.objects.bulk_create(missing, ignore_conflicts=True)
    return list(AmbassadorType.objects.filter(organisation=organisation))


@transaction.atomic
def update_ambassador_type(
    actor: Actor, ambassador_type: AmbassadorType, **fields: Any
) -> AmbassadorType:
    check(actor, "ambassador_types.manage", ambassador_type.organisation_id)
    editable = {
        "name",
        "description",
        "required_training",
        "counts_in_evaluation",
        "posting_guidance",
        "may_contact",
    }
    before = {name: getattr(ambassador_type, name) for name in fields if name in editable}
    for name, value in fields.items():
        if name in editable:
            setattr(ambassador_type, name, value.strip() if isinstance(value, str) else value)
    ambassador_type.full_clean()
    ambassador_type.save()
    audit.record(
        "ambassador_type.updated",
        organisation=actor.organisation,
        actor=actor,
        target=ambassador_type,
        before=before,
        after={name: getattr(ambassador_type, name) for name in before},
    )
    return ambassador_type


# --- Programs and targets ---------------------------------------------------------------


def _members(actor: Actor, ids: Iterable[int], field: str) -> list[Person]:
    wanted = set(ids)
    people = list(Person.objects.filter(organisation=actor.organisation, pk__in=wanted))
    if len(people) != len(wanted):
        raise ValidationError({field: _("Some of these people are not in the organisation.")})
    return people


def _program_fields(
    actor: Actor, program: Program, fields: dict[str, Any]
) -> tuple[list[Person] | None, list[Person] | None]:
    if "name" in fields:
        program.name = (fields["name"] or "").strip()
        if not program.name:
            raise ValidationError({"name": _("Give the program a name.")})
        clash = Program.objects.filter(organisation=actor.organisation, name__iexact=program.name)
        if clash.exclude(pk=program.pk).exists():
            raise ValidationError({"name": _("Another program already has this name.")})
    if "description" in fields:
        program.description = (fields["description"] or "").strip()
    if "objectives" in fields:
        objectives = list(dict.fromkeys(fields["objectives"] or []))
        if not objectives:
            raise ValidationError({"objectives": _("Choose at least one objective.")})
        unknown = set(objectives) - set(Objective.values)
        if unknown:
            raise ValidationError(
                {"objectives": _("Unknown objectives: %s") % ", ".join(sorted(unknown))}
            )
        if objectives != program.objectives and not objectives_allowed(actor, objectives):
            raise ValidationError(
                {"objectives": _("Your programs have the employer brand among their objectives.")}
            )
        program.objectives = objectives
    if "self_service" in fields:
        program.self_service = bool(fields["self_service"])
    if "open_to_alumni" in fields:
        program.open_to_alumni = bool(fields["open_to_alumni"])
    if "status" in fields:
        if fields["status"] not in Program.Status.values:
            raise ValidationError({"status": _("Unknown status.")})
        program.status = fields["status"]
    owners = working_group = None
    if "owner_ids" in fields:
        owners = _members(actor, fields["owner_ids"] or [], "owner_ids")
        not_console = [
            person.full_name
            for person in owners
            if not (person.role_set - {Role.AMBASSADOR, "employee"})
        ]
        if not_console:
            raise ValidationError(
                {
                    "owner_ids": _("Owners must hold a console role: %s")
                    % ", ".join(sorted(not_console))
                }
            )
    if "working_group_ids" in fields:
        working_group = _members(actor, fields["working_group_ids"] or [], "working_group_ids")
    return owners, working_group


def _program_snapshot(program: Program) -> dict[str, Any]:
    return {
        "name": program.name,
        "objectives": program.objectives,
        "self_service": program.self_service,
        "open_to_alumni": program.open_to_alumni,
        "status": program.status,
    }


@transaction.atomic
def create_program(actor: Actor, **fields: Any) -> Program:
    check(actor, "programs.manage")
    program = Program(organisation=actor.organisation)
    fields.setdefault("name", "")
    fields.setdefault("objectives", [])
    owners, working_group = _program_fields(actor, program, fields)
    program.save()
    if not owners and actor.person is not None:  # the creator runs it until others do
        owners = [actor.person]
    program.owners.set(owners or [])
    program.working_group.set(working_group or [])
    audit.record(
        "program.created",
        organisation=actor.organisation,
        actor=actor,
        target=program,
        after=_program_snapshot(program),
    )
    return program


@transaction.atomic
def update_program(actor: Actor, program: Program, **fields: Any) -> Program:
    check_program(actor, "programs.manage", program)
    before = _program_snapshot(program)
    owners, working_group = _program_fields(actor, program, fields)
    program.save()
    if owners is not None:
        program.owners.set(owners)
    if working_group is not None:
        program.working_group.set(working_group)
    audit.record(
        "program.updated",
        organisation=actor.organisation,
        actor=actor,
        target=program,
        before=before,
        after=_program_snapshot(program),
    )
    return program


def _validate_target(target: KpiTarget) -> None:
    if target.metric not in Metric.values:
        raise ValidationError({"metric": _("Choose a metric from the list.")})
    target.full_clean(exclude=["program"])


@transaction.atomic
def add_target(
    actor: Actor,
    program: Program,
    *,
    metric: str,
    target: Decimal,
    period_start: date,
    period_end: date,
) -> KpiTarget:
    check_program(actor, "programs.manage", program)
    kpi = KpiTarget(
        program=program,
        metric=metric,
        target=target,
        period_start=period_start,
        period_end=period_end,
    )
    _validate_target(kpi)
    kpi.save()
    audit.record(
        "program.target_added",
        organisation=actor.organisation,
        actor=actor,
        target=program,
        after={"metric": metric, "target": str(target), "from": str(period_start)},
    )
    return kpi


@transaction.atomic
def update_target(actor: Actor, kpi: KpiTarget, **fields: Any) -> KpiTarget:
    check_program(actor, "programs.manage", kpi.program)
    before = {"metric": kpi.metric, "target": str(kpi.target)}
    for name in ("metric", "target", "period_start", "period_end"):
        if fields.get(name) is not None:
            setattr(kpi, name, fields[name])
    _validate_target(kpi)
    kpi.save()
    audit.record(
        "program.target_updated",
        organisation=actor.organisation,
        actor=actor,
        target=kpi.program,
        before=before,
        after={"metric": kpi.metric, "target": str(kpi.target)},
    )
    return kpi


@transaction.atomic
def delete_target(actor: Actor, kpi: KpiTarget) -> None:
    check_program(actor, "programs.manage", kpi.program)
    audit.record(
        "program.target_deleted",
        organisation=actor.organisation,
        actor=actor,
        target=kpi.program,
        before={"metric": kpi.metric, "target": str(kpi.target)},
    )
    kpi.delete()


# --- The charter ------------------------------------------------------------------------


def _clean_bodies(body_fr: str, body_en: str) -> tuple[str, str]:
    """The texts as written (Markdown, or older HTML) rendered and sanitised."""
    body_fr, body_en = charter.render(body_fr or ""), charter.render(body_en or "")
    errors = {}
    if charter.is_empty(body_fr):
        errors["body_fr"] = _("The French charter is empty: write its text before saving.")
    if charter.is_empty(body_en):
        errors["body_en"] = _("The English charter is empty: write its text before saving.")
    if errors:
        raise ValidationError(errors)
    return body_fr, body_en


@transaction.atomic
def save_charter_draft(
    actor: Actor,
    program: Program,
    *,
    body_fr: str,
    body_en: str,
    change_summary: str = "",
    version: CharterVersion | None = None,
    ambassador_kind: str = "",
) -> CharterVersion:
    """Creates a new draft, or edits a draft; a published version is frozen.

    ``body_fr`` and ``body_en`` are the texts as written, in Markdown; ``ambassador_kind``
    (a new draft only): "" for the general charter, or a kind with a charter of its own."""
    check(actor, "charter.manage", program.organisation_id)
    source_fr, source_en = (body_fr or "").strip(), (body_en or "").strip()
    body_fr, body_en = _clean_bodies(source_fr, source_en)
    if version is None:
        # Locks the program row so two editors never get the same version number.
        Program.objects.select_for_update().filter(pk=program.pk).first()
        latest = program.charter_versions.aggregate(n=Max("number"))["n"] or 0
        if ambassador_kind and ambassador_kind not in KINDS_WITH_OWN_CHARTER:
            raise ValidationError(
                {"ambassador_kind": _("This kind of ambassador accepts the general charter.")}
            )
        version = CharterVersion(
            program=program,
            number=latest + 1,
            created_by=actor.person,
            ambassador_kind=ambassador_kind,
        )
    elif version.program_id != program.pk:
        raise PermissionDenied
    elif version.is_published:
        raise ValidationError(_("A published version is frozen: start a new version instead."))
    version.body_fr, version.body_en = body_fr, body_en
    version.source_fr, version.source_en = source_fr, source_en
    version.change_summary = change_summary.strip()
    version.save()
    audit.record(
        "charter.draft_saved",
        organisation=actor.organisation,
        actor=actor,
        target=version,
        after={"number": version.number},
    )
    return version


@transaction.atomic
def publish_charter(actor: Actor, version: CharterVersion) -> CharterVersion:
    program = version.program
    check(actor, "charter.manage", program.organisation_id)
    version = CharterVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("This version is already published."))
    _clean_bodies(version.body_fr, version.body_en)
    has_earlier = program.charter_versions.filter(
        status=CharterVersion.Status.PUBLISHED,
        number__lt=version.number,
        ambassador_kind=version.ambassador_kind,
    ).exists()
    if has_earlier and not version.change_summary:
        raise ValidationError(
            {"change_summary": _("Say what changed: ambassadors read it before re-accepting.")}
        )
    version.status = CharterVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.content_hash = charter.content_hash(version.body_fr, version.body_en)
    version.save(update_fields=["status", "published_at", "content_hash"])
    # Whoever accepted an older text must accept this one before sharing again.
    # Only those whose charter this is: the alumni's version pauses no employee.
    same_charter = (
        Q(ambassador_type__kind=version.ambassador_kind)
        if version.ambassador_kind
        else ~Q(ambassador_type__kind__in=KINDS_WITH_OWN_CHARTER)
    )
    to_pause = list(
        Enrolment.objects.filter(program=program, status=Enrolment.Status.ACTIVE)
        .filter(same_charter)
        .exclude(accepted_version=version)
        .values_list("pk", flat=True)
    )
    Enrolment.objects.filter(pk__in=to_pause).update(status=Enrolment.Status.PAUSED)
    audit.record(
        "charter.published",
        organisation=actor.organisation,
        actor=actor,
        target=version,
        after={
            "number": version.number,
            "ambassador_kind": version.ambassador_kind,
            "content_hash": version.content_hash,
            "paused_enrolments": len(to_pause),
        },
    )
    events.record(
        "programs.charter_published",
        program.organisation,
        program_id=program.pk,
        version=version.number,
        needs_reacceptance=bool(to_pause),
    )
    if to_pause:
        on_commit(tasks.send_reacceptance_mail, to_pause)
    return version
