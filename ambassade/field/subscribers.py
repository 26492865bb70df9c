"""Field reports' events turned into notifications: the owners of the queue are told of a
new report, the reporter of an answer. A notice names the kind, never what the report
says (its mail copy leaves the application, and the report may name a customer)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ambassade.core import display
from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.core.roles import Role
from ambassade.field import routing
from ambassade.field.models import FieldReport
from ambassade.notifications.actions import language_of, notify


def _report(event: DomainEvent) -> FieldReport | None:
    return (
        FieldReport.objects.filter(
            organisation_id=event.organisation_id or 0, pk=event.payload.get("report_id")
        )
        .select_related("reporter__organisation", "reporter__user")
        .first()
    )


@subscribe("field.report_filed")
def tell_the_owners(event: DomainEvent) -> None:
    report = _report(event)
    if report is None:
        return
    owners = [
        owner
        for owner in routing.owners(report.organisation_id, report.owner_role, report.department_id)
        if owner.pk != report.reporter_id
    ]
    for owner in owners:
        with translation.override(language_of(owner)):
            notify(
                owner,
                "field_report_filed",
                title=_("New field report: %(kind)s")
                % {"kind": display.name("field_report_kind", report.kind)},
                body=_("Open it to triage it and answer the ambassador."),
                url=reverse("field:detail", args=[report.pk]),
                event_id=event.pk,
            )
    if not owners:
        # Nobody holds the queue's role (in its department): the admins give it to someone
        # (the report is theirs at once) or route the kind elsewhere for the next ones.
        for admin in routing.owners(report.organisation_id, Role.ADMIN, None):
            with translation.override(language_of(admin)):
                notify(
                    admin,
                    "field_report_filed",
                    title=_("A field report has nobody to read it: %(kind)s")
                    % {"kind": display.name("field_report_kind", report.kind)},
                    body=_(
                        "Nobody holds the role of its queue. Give someone the role, or "
                        "change the routing."
                    ),
                    url=reverse("field:routing"),
                    event_id=event.pk,
                )


@subscribe("field.report_answered")
def tell_the_reporter(event: DomainEvent) -> None:
    report = _report(event)
    if report is None or report.reporter is None or report.reporter.anonymised_at is not None:
        return
    reporter = report.reporter
    with translation.override(language_of(reporter)):
        notify(
            reporter,
            "field_report_answered",
            title=_("Your field report: %(status)s")
            % {"status": display.name("field_report_status", report.status)},
            body=_("Open it to read the answer."),
            url=reverse("field:mine_detail", args=[report.pk]),
            event_id=event.pk,
        )
