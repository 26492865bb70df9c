"""Reads of the incidents app, scoped to the organisation and to what the actor may see."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from ambassade.core.authz import Actor, allowed, may_see_report
from ambassade.core.models import Organisation
from ambassade.incidents.models import ProblemReport, ReportSettings, Severity
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program


def settings_of(organisation: Organisation) -> ReportSettings:
    """The organisation's response targets (unsaved defaults when it never set them)."""
    found = ReportSettings.objects.filter(organisation=organisation).first()
    return found or ReportSettings(organisation=organisation)


def _add_working_days(moment: datetime, days: int, organisation: Organisation) -> datetime:
    import zoneinfo

    try:
        zone = zoneinfo.ZoneInfo(organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = moment.astimezone(zone)
    added = 0
    while added < days:  # bounded: days is at most a small setting
        local += timedelta(days=1)
        if local.weekday() < 5:
            added += 1
    return local


def due_at(organisation: Organisation, severity: str, opened_at: datetime) -> datetime:
    """When the report must be acknowledged: on the clock for critical and high, in
    working days (Monday to Friday, the organisation's time zone) for low."""
    options = settings_of(organisation)
    if severity == Severity.CRITICAL:
        return opened_at + timedelta(minutes=options.critical_minutes)
    if severity == Severity.HIGH:
        return opened_at + timedelta(minutes=options.high_minutes)
    return _add_working_days(opened_at, options.low_working_days, organisation)


def program_of(reporter: Person, target_program_id: int | None) -> Program | None:
    """The program a report belongs to: the post's, else the reporter's first program."""
    if target_program_id is not None:
        return Program.objects.filter(pk=target_program_id).first()
    enrolment = (
        Enrolment.objects.filter(person=reporter, status=Enrolment.Status.ACTIVE)
        .select_related("program")
        .order_by("pk")
        .first()
    )
    return enrolment.program if enrolment is not None else None


def visible_reports(actor: Actor) -> QuerySet[ProblemReport]:
    """The reports this actor may see (core.authz.may_see_report, as one query)."""
    reports = ProblemReport.objects.filter(organisation_id=actor.organisation.pk)
    if not allowed(actor, "incidents.view"):
        return reports.none()
    if not allowed(actor, "incidents.triage"):
        person = actor.person
        if person is None:
            return reports.none()
        reports = reports.filter(
            Q(reporter=person)
            | Q(coach=person)
            | Q(escalated_at__isnull=False, program__owners=person)
        ).distinct()
    return reports.select_related("reporter", "coach", "program").order_by("-opened_at", "-pk")


def report_for(actor: Actor, report_id: int) -> ProblemReport:
    found = (
        ProblemReport.objects.filter(organisation_id=actor.organisation.pk, pk=report_id)
        .select_related("reporter", "coach", "program", "target__account", "target__share__item")
        .first()
    )
    if found is None or not may_see_report(actor, found):
        raise Http404
    return found


def reports_about(target_id: int) -> QuerySet[ProblemReport]:
    return ProblemReport.objects.filter(target_id=target_id)
