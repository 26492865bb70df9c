"""Every write of the incidents app: one transaction, an audit row, a log entry, events.

Who may do what on a report is decided in core/authz.py (``may_see_report``,
``may_handle_report``); the people told are chosen by the subscribers (subscribers.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.coaching.selectors import coach_of
from ambassade.content import images
from ambassade.core import audit, events
from ambassade.core.authz import Actor, allowed, may_handle_report, may_see_report
from ambassade.core.inputs import web_address, written_text
from ambassade.incidents import selectors
from ambassade.incidents.models import (
    ProblemKind,
    ProblemReport,
    ReportEntry,
    ReportSettings,
    ReportStatus,
    Severity,
    Step,
)
from ambassade.people.models import Person
from ambassade.sharing import actions as sharing_actions
from ambassade.sharing.models import ShareTarget

LIMITS = {
    "critical_minutes": (5, 10080),
    "high_minutes": (5, 10080),
    "low_working_days": (1, 30),
}


def _log(report: ProblemReport, actor: Actor | None, step: str, text: str = "") -> ReportEntry:
    person = actor.person if actor is not None else None
    return ReportEntry.objects.create(
        report=report,
        actor=person,
        actor_label=actor.label if actor is not None else "Ambassade",
        step=step,
        text=text,
    )


def _own_target(person: Person, target_id: int | None) -> ShareTarget | None:
    if target_id is None:
        return None
    target = (
        ShareTarget.objects.filter(
            organisation_id=person.organisation_id, share__person=person, pk=target_id
        )
        .select_related("share__item")
        .first()
    )
    if target is None:
        raise ValidationError({"target": _("This post is not one of yours.")})
    return target


def open_report(
    actor: Actor,
    *,
    kind: str,
    severity: str,
    description: str,
    link: str = "",
    screenshot: bytes | None = None,
    target_id: int | None = None,
    coach_may_delete: bool = False,
) -> ProblemReport:
    """Reports a situation; the coach and internal communications are told at once."""
    if not allowed(actor, "incidents.report") or actor.person is None:
        raise PermissionDenied
    person = actor.person
    if kind not in ProblemKind.values:
        raise ValidationError({"kind": _("Choose what happened.")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose how serious it is.")})
    description = written_text(description, "description", _("Describe what happened."))
    link = web_address(link)
    target = _own_target(person, target_id)
    if coach_may_delete and target is None:
        raise ValidationError(
            {"coach_may_delete": _("Your coach may delete a post only when you report on one.")}
        )
    if target is not None and not link:
        link = target.remote_url
    stored = ""
    if screenshot:
        try:
            stored = images.store(screenshot, folder=f"incidents/{person.organisation_id}").name
        except images.ImageError as error:
            raise ValidationError({"screenshot": error.message}) from None
    try:
        return _create(
            actor, person, kind, severity, description, link, stored, target, coach_may_delete
        )
    except Exception:
        if stored:  # nothing half-written: the stored file goes with the rolled-back report
            default_storage.delete(stored)
        raise


@transaction.atomic
def _create(
    actor: Actor,
    person: Person,
    kind: str,
    severity: str,
    description: str,
    link: str,
    stored: str,
    target: ShareTarget | None,
    coach_may_delete: bool,
) -> ProblemReport:
    now = timezone.now()
    coach = coach_of(person)
    program = selectors.program_of(person, target.share.item.program_id if target else None)
    report = ProblemReport.objects.create(
        organisation=person.organisation,
        reporter=person,
        coach=coach,
        target=target,
        program=program,
        kind=kind,
        severity=severity,
        description=description,
        link=link,
        screenshot=stored,
        coach_may_delete=coach_may_delete and target is not None,
        opened_at=now,
        due_at=selectors.due_at(person.organisation, severity, now),
    )
    _log(report, actor, Step.OPENED, description)
    audit.record(
        "incidents.report_opened",
        organisation=report.organisation,
        actor=actor,
        target=report,
        after={"kind": kind, "severity": severity, "target": target.pk if target else None},
    )
    events.record(
        "incidents.report_opened",
        report.organisation,
        report_id=report.pk,
        reporter_id=person.pk,
        coach_id=coach.pk if coach else None,
        kind=kind,
        severity=severity,
    )
    return report


def _lock(report: ProblemReport) -> ProblemReport:
    return ProblemReport.objects.select_for_update().get(pk=report.pk)


def _handler(actor: Actor, report: ProblemReport) -> None:
    if not may_handle_report(actor, report):
        raise PermissionDenied


@transaction.atomic
def acknowledge(actor: Actor, report: ProblemReport) -> ProblemReport:
    _handler(actor, report)
    locked = _lock(report)
    if locked.status != ReportStatus.OPEN:
        raise ValidationError(_("This report is already acknowledged."))
    locked.status = ReportStatus.ACKNOWLEDGED
    locked.acknowledged_at = timezone.now()
    locked.save(update_fields=["status", "acknowledged_at"])
    _log(locked, actor, Step.ACKNOWLEDGED)
    audit.record(
        "incidents.report_acknowledged",
        organisation=locked.organisation,
        actor=actor,
        target=locked,
    )
    return locked


@transaction.atomic
def add_note(actor: Actor, report: ProblemReport, text: str) -> ReportEntry:
    if not may_see_report(actor, report):
        raise PermissionDenied
    text = written_text(text, "text", _("Write the note."))
    locked = _lock(report)
    entry = _log(locked, actor, Step.NOTE, text)
    audit.record(
        "incidents.report_noted", organisation=locked.organisation, actor=actor, target=locked
    )
    return entry


@transaction.atomic
def resolve(actor: Actor, report: ProblemReport, resolution: str) -> ProblemReport:
    _handler(actor, report)
    resolution = written_text(resolution, "resolution", _("Say how it was resolved."))
    locked = _lock(report)
    if locked.status == ReportStatus.RESOLVED:
        raise ValidationError(_("This report is already resolved."))
    now = timezone.now()
    locked.status = ReportStatus.RESOLVED
    locked.resolution = resolution
    locked.resolved_at = now
    locked.acknowledged_at = locked.acknowledged_at or now  # an answer acknowledges it
    locked.save(update_fields=["status", "resolution", "resolved_at", "acknowledged_at"])
    _log(locked, actor, Step.RESOLVED, resolution)
    audit.record(
        "incidents.report_resolved", organisation=locked.organisation, actor=actor, target=locked
    )
    events.record(
        "incidents.report_resolved",
        locked.organisation,
        report_id=locked.pk,
        reporter_id=locked.reporter_id,
        severity=locked.severity,
    )
    return locked


@transaction.atomic
def reopen(actor: Actor, report: ProblemReport, reason: str) -> ProblemReport:
    """The reporter or a handler reopens a resolved report (it was not over)."""
    if not may_see_report(actor, report):
        raise PermissionDenied
    reason = written_text(reason, "reason", _("Say why the report is reopened."))
    locked = _lock(report)
    if locked.status != ReportStatus.RESOLVED:
        raise ValidationError(_("Only a resolved report can be reopened."))
    locked.status = ReportStatus.ACKNOWLEDGED if locked.acknowledged_at else ReportStatus.OPEN
    locked.resolved_at = None
    locked.save(update_fields=["status", "resolved_at"])
    _log(locked, actor, Step.REOPENED, reason)
    audit.record(
        "incidents.report_reopened", organisation=locked.organisation, actor=actor, target=locked
    )
    return locked


def delete_reported_post(
    actor: Actor, report: ProblemReport, *, withdraw_tracked_link: bool = True
) -> sharing_actions.Deletion:
    """Deletes the report's post from the network (its author, or their coach with the
    author's consent: the sharing app asks the permit registered in apps.py), and logs it."""
    if not may_see_report(actor, report):
        raise PermissionDenied
    if report.target_id is None:
        raise ValidationError(_("This report is not about a post."))
    target = ShareTarget.objects.get(pk=report.target_id)
    done = sharing_actions.delete_from_network(
        actor, target, withdraw_tracked_link=withdraw_tracked_link
    )
    with transaction.atomic():
        locked = _lock(report)
        said = (
            _("The network no longer had it.")
            if done.already_gone
            else _("Deleted from %(network)s.") % {"network": done.target.network_name}
        )
        _log(locked, actor, Step.POST_DELETED, said)
        audit.record(
            "incidents.post_deleted",
            organisation=locked.organisation,
            actor=actor,
            target=locked,
            after={"target": target.pk, "already_gone": done.already_gone},
        )
    return done


def coach_with_consent(actor: Actor, target: ShareTarget) -> bool:
    """The deletion permit given to sharing: the author's coach, when the author said
    "my coach may delete the post" in a report about it."""
    if actor.person is None or actor.organisation.pk != target.organisation_id:
        return False
    author = Person.objects.filter(pk=target.share.person_id).first()
    coach = coach_of(author) if author is not None else None
    if coach is None or coach.pk != actor.person.pk:
        return False
    return selectors.reports_about(target.pk).filter(coach_may_delete=True).exists()


def escalate_overdue(now: datetime | None = None, limit: int = 500) -> int:
    """Escalates to the program's owners every report not acknowledged within its target,
    once per report (``escalated_at``); returns how many."""
    now = now or timezone.now()
    overdue = ProblemReport.objects.filter(
        status=ReportStatus.OPEN, escalated_at__isnull=True, due_at__lte=now
    )
    ids = list(overdue.order_by("due_at").values_list("pk", flat=True)[:limit])
    escalated = 0
    for report_id in ids:
        with transaction.atomic():
            report = (
                overdue.filter(pk=report_id)
                .select_for_update()
                .select_related("organisation")
                .first()
            )
            if report is None:  # acknowledged or escalated meanwhile
                continue
            report.escalated_at = now
            report.save(update_fields=["escalated_at"])
            _log(report, None, Step.ESCALATED)
            audit.record(
                "incidents.report_escalated",
                organisation=report.organisation,
                actor=None,
                target=report,
                after={"due_at": report.due_at.isoformat(), "owners": sorted(report.owner_ids())},
            )
            events.record(
                "incidents.report_escalated",
                report.organisation,
                report_id=report.pk,
                reporter_id=report.reporter_id,
                program_id=report.program_id,
                severity=report.severity,
            )
            escalated += 1
    return escalated


@transaction.atomic
def update_settings(actor: Actor, values: dict[str, Any]) -> ReportSettings:
    if not allowed(actor, "incidents.settings"):
        raise PermissionDenied
    errors = {}
    for field, (low, high) in LIMITS.items():
        value = values.get(field)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[field] = _("Choose a number from %(low)d to %(high)d.") % {
                "low": low,
                "high": high,
            }
    if errors:
        raise ValidationError(errors)
    options, _created = ReportSettings.objects.select_for_update().get_or_create(
        organisation=actor.organisation
    )
    before = {field: getattr(options, field) for field in LIMITS}
    for field in LIMITS:
        if values.get(field) is not None:
            setattr(options, field, values[field])
    options.save()
    audit.record(
        "incidents.settings_changed",
        organisation=actor.organisation,
        actor=actor,
        target=None,
        before=before,
        after={field: getattr(options, field) for field in LIMITS},
    )
    return options
