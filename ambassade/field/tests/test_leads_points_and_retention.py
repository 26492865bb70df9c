"""A converted lead counts in its program's figures (once), a useful report earns points
through recognition, and personal data is erased after retention, exported and erased
with the person."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ambassade.analytics import rollup
from ambassade.field.models import FieldReport
from ambassade.field.tests.conftest import send
from ambassade.recognition.models import LedgerEntry
from ambassade.tracking.models import Conversion, TrackedLink

pytestmark = pytest.mark.django_db


def test_a_converted_lead_counts_once_in_the_programs_figures(
    persona, client_for, program, enrolled, file_lead
) -> None:
    report_id = file_lead(persona.ambassador)
    sales = client_for(persona.sales)
    url = f"/api/v1/field/queue/{report_id}/conversion"
    converted = send(sales, "post", url, {"value": "12500.00", "currency": "eur"})
    assert converted.status_code == 200, converted.content
    assert (converted.json()["value"], converted.json()["currency"]) == ("12500.00", "EUR")
    again = send(sales, "post", url, {"value": "12500.00", "currency": "EUR"})
    assert again.status_code == 422
    conversion = Conversion.objects.get()
    link = TrackedLink.objects.get()
    assert (link.network, link.person, link.program_id) == ("field", persona.ambassador, program.pk)
    assert (conversion.kind, conversion.value, conversion.person) == (
        "lead",
        Decimal("12500.00"),
        persona.ambassador,
    )
    rollup.update()
    figures = client_for(persona.admin).get(f"/api/v1/analytics/programs/{program.pk}").json()
    totals = figures["trend"]["totals"]
    assert totals["conversions"] == 1
    assert Decimal(str(totals["conversion_value"])) == Decimal("12500.00")


def test_only_a_lead_converts(persona, client_for, file_lead) -> None:
    report_id = file_lead(persona.ambassador, kind="competitor_news")
    refused = send(
        client_for(persona.marketer),
        "post",
        f"/api/v1/field/queue/{report_id}/conversion",
        {"value": "10", "currency": "EUR"},
    )
    assert refused.status_code == 422
    assert not Conversion.objects.exists()


def test_a_useful_report_earns_points_once(persona, client_for, run_events, enrolled) -> None:
    report_id = None

    def file_and_accept() -> None:
        nonlocal report_id
        filed = send(
            client_for(persona.ambassador),
            "post",
            "/api/v1/field/reports",
            {"kind": "partnership_lead", "text": "L'école d'ingénieurs veut un partenariat."},
        )
        report_id = filed.json()["id"]

    run_events(file_and_accept)
    marketer = client_for(persona.marketer)
    url = f"/api/v1/field/queue/{report_id}/triage"
    run_events(lambda: send(marketer, "post", url, {"status": "useful", "answer": "Top, merci."}))
    run_events(lambda: send(marketer, "post", url, {"status": "useful", "answer": "Encore merci."}))
    entries = LedgerEntry.objects.filter(person=persona.ambassador, reason="field_report")
    assert [entry.points for entry in entries] == [20]


def test_personal_data_is_erased_after_retention(persona, client_for, file_lead) -> None:
    from ambassade.field.tasks import erase_expired_field_reports

    flagged = file_lead(persona.ambassador, personal_data=True, link="https://example.com/a")
    plain = file_lead(persona.ambassador)
    sales = client_for(persona.sales)
    for report_id in (flagged, plain):
        send(
            sales,
            "post",
            f"/api/v1/field/queue/{report_id}/triage",
            {"status": "not_pursued", "answer": "Pas pour nous."},
        )
    FieldReport.objects.update(closed_at=timezone.now() - timedelta(days=179))
    assert erase_expired_field_reports.call() == 0
    FieldReport.objects.update(closed_at=timezone.now() - timedelta(days=181))
    assert erase_expired_field_reports.call() == 1
    erased, kept = FieldReport.objects.get(pk=flagged), FieldReport.objects.get(pk=plain)
    assert (erased.text, erased.link, erased.answer, erased.erased_at is not None) == (
        "",
        "",
        "",
        True,
    )
    assert kept.text and kept.erased_at is None
    page = client_for(persona.ambassador).get(f"/me/field-reports/{flagged}/").content.decode()
    assert "erased at the end of its retention period" in page


def test_the_export_holds_my_reports_and_erasure_removes_them(persona, file_lead) -> None:
    from ambassade.core.personal_data import anonymise, collect

    file_lead(persona.ambassador)
    exported = collect(persona.ambassador)["field_reports"]
    assert [row["text"] for row in exported] == ["Dupont SA cherche 40 licences."]
    anonymise(persona.ambassador)
    assert not FieldReport.objects.exists()
