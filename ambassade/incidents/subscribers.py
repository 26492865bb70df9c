"""The report events (docs/events.md) turned into notifications: who is told, and where
it leads. Each subscriber reads the report as it is now and passes the event's id to
``notify``, so that a subscriber run twice never tells twice."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ambassade.core import display
from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.core.roles import Role
from ambassade.incidents import notices
from ambassade.incidents.models import ProblemReport, Severity
from ambassade.notifications.actions import language_of, notify
from ambassade.people.models import EmploymentStatus, Person


def _report(event: DomainEvent) -> ProblemReport | None:
    return (
        ProblemReport.objects.filter(
            organisation_id=event.organisation_id or 0, pk=event.payload.get("report_id")
        )
        .select_related("reporter", "program")
        .first()
    )


def _people(organisation_id: int, ids: Iterable[int]) -> list[Person]:
    return list(
        Person.objects.filter(
            organisation_id=organisation_id, pk__in=set(ids), anonymised_at__isnull=True
        )
        .exclude(employment_status=EmploymentStatus.LEFT)
        .select_related("user", "organisation")
        .prefetch_related("role_assignments")
        .order_by("pk")
    )


def _handlers(report: ProblemReport) -> list[Person]:
    """The reporter's coach and internal communications (never the reporter)."""
    comms = Person.objects.filter(
        organisation_id=report.organisation_id, role_assignments__role=Role.INTERNAL_COMMS
    ).values_list("pk", flat=True)
    ids = set(comms) | ({report.coach_id} if report.coach_id else set())
    ids.discard(report.reporter_id)
    return _people(report.organisation_id, ids)


def _console_url(report: ProblemReport) -> str:
    return reverse("incidents:detail", args=[report.pk])


@subscribe("incidents.report_opened")
def tell_coach_and_comms(event: DomainEvent) -> None:
    report = _report(event)
    if report is None:
        return
    kind = notices.REPORTED_CRITICAL if report.severity == Severity.CRITICAL else notices.REPORTED
    for person in _handlers(report):
        with translation.override(language_of(person)):
            notify(
                person,
                kind,
                title=_("%(name)s reports a problem: %(kind)s")
                % {
                    "name": report.reporter.full_name,
                    "kind": display.name("problem_kind", report.kind).lower(),
                },
                body=_("Severity: %(severity)s. %(description)s")
                % {
                    "severity": display.name("severity", report.severity).lower(),
                    "description": report.description[:300],
                },
                url=_console_url(report),
                event_id=event.pk,
            )


@subscribe("incidents.report_escalated")
def tell_program_owners(event: DomainEvent) -> None:
    report = _report(event)
    if report is None:
        return
    for person in _people(report.organisation_id, report.owner_ids() - {report.reporter_id}):
        with translation.override(language_of(person)):
            notify(
                person,
                notices.ESCALATED,
                title=_("A problem report of %(program)s is overdue")
                % {"program": report.program.name if report.program else ""},
                body=_("%(name)s reported it; nobody acknowledged it in time.")
                % {"name": report.reporter.full_name},
                url=_console_url(report),
                event_id=event.pk,
            )


@subscribe("incidents.report_resolved")
def tell_reporter(event: DomainEvent) -> None:
    report = _report(event)
    if report is None:
        return
    for person in _people(report.organisation_id, [report.reporter_id]):
        with translation.override(language_of(person)):
            notify(
                person,
                notices.RESOLVED,
                title=_("Your problem report is resolved"),
                body=report.resolution[:300],
                url=reverse("incidents:mine_detail", args=[report.pk]),
                event_id=event.pk,
            )
