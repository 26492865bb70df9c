"""Demo field reports: Lucas Perrin (ambassadeur@verdier.example) and a few colleagues
report a sales lead (converted), a competitor's news, customer feedback and an event
idea; some answered, one still new in the sales queue."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ambassade.core.demo import DemoContext, demo_step
from ambassade.core.roles import Role
from ambassade.field.actions import home_program, record_conversion
from ambassade.field.models import DEFAULT_ROUTES, FieldReport, ReportKind, ReportStatus
from ambassade.people.models import EmploymentStatus, Person

AMBASSADOR = "ambassadeur@verdier.example"
SALES = "ventes@verdier.example"
MARKETING = "marketing@verdier.example"
COMMS = "comms@verdier.example"
# (kind, text, days ago, status, answer, answered by, days to answer)
REPORTS = [
    (
        ReportKind.SALES_LEAD,
        "Au salon Industrie Lyon, la responsable achats d'une coopérative laitière cherche "
        "un système de supervision pour trois sites. Elle attend un appel.",
        40,
        ReportStatus.USEFUL,
        "Merci Lucas : rendez-vous pris, devis signé le mois dernier.",
        SALES,
        2,
    ),
    (
        ReportKind.COMPETITOR_NEWS,
        "Un concurrent annonce une offre d'entrée de gamme à moitié prix sur LinkedIn.",
        20,
        ReportStatus.IN_PROGRESS,
        "Nous regardons l'offre de près ; retour dans la note marché de vendredi.",
        MARKETING,
        1,
    ),
    (
        ReportKind.CUSTOMER_FEEDBACK,
        "Deux clients trouvent la nouvelle interface plus lente à charger le matin.",
        12,
        ReportStatus.DUPLICATE,
        "Déjà signalé par le support : le correctif part la semaine prochaine.",
        MARKETING,
        9,
    ),
    (
        ReportKind.EVENT_IDEA,
        "Organiser une visite d'usine pour les étudiants de l'école d'ingénieurs voisine.",
        6,
        ReportStatus.NEW,
        "",
        "",
        0,
    ),
    (
        ReportKind.SALES_LEAD,
        "Mon voisin dirige une PME de logistique qui renouvelle ses capteurs cette année.",
        1,
        ReportStatus.NEW,
        "",
        "",
        0,
    ),
]


@demo_step(58)
def field_reports(context: DemoContext) -> None:
    organisation = context.objects["organisation"]
    wanted = [AMBASSADOR, SALES, MARKETING, COMMS]
    people = {p.email: p for p in Person.objects.filter(email__in=wanted)}
    lucas = people.get(AMBASSADOR)
    if lucas is None:
        return
    others = list(
        Person.objects.filter(
            organisation=organisation,
            role_assignments__role=Role.AMBASSADOR,
            employment_status=EmploymentStatus.ACTIVE,
        )
        .exclude(pk=lucas.pk)
        .order_by("id")[:3]
    )
    reporters = [lucas, *others]
    now = timezone.now()
    for index, (kind, text, days, status, answer, by, delay) in enumerate(REPORTS):
        filed = now - timedelta(days=days)
        answered = filed + timedelta(days=delay) if answer else None
        closed = answered if status in {ReportStatus.USEFUL, ReportStatus.DUPLICATE} else None
        reporter = reporters[index % len(reporters)]
        report = FieldReport.objects.create(
            organisation=organisation,
            reporter=reporter,
            program=home_program(reporter.pk, organisation.pk),
            kind=kind,
            text=text,
            may_contact=True,
            personal_data=kind == ReportKind.SALES_LEAD,
            owner_role=DEFAULT_ROUTES[kind],
            status=status,
            filed_at=filed,
            answer=answer,
            answered_at=answered,
            answered_by=people.get(by),
            closed_at=closed,
        )
        if index == 0:  # the converted lead, recorded as the sales team's action would
            record_conversion(report, Decimal("18400.00"), "EUR", closed or now)
    context.progress(f"{len(REPORTS)} field reports")
