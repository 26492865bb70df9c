"""The pages of field reports, through the test client: filing from the phone, my reports
with the answer, the owners' queue and triage, the routing page, the figures."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassade.core.models import AuditEvent
from ambassade.field.models import FieldReport, ReportStatus
from ambassade.field.tests.conftest import png
from ambassade.notifications.models import Notification
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_an_ambassador_files_a_sales_lead_and_sales_management_is_told(
    persona, client_for, run_events, enrolled
) -> None:
    client = client_for(persona.ambassador)
    assert client.get("/me/field-reports/new").status_code == 200
    response = run_events(
        lambda: client.post(
            "/me/field-reports/new",
            {
                "kind": "sales_lead",
                "text": "Le client Dupont cherche un partenaire.",
                "link": "https://example.com/dupont",
                "photo": SimpleUploadedFile("p.png", png(), content_type="image/png"),
                "may_contact": "on",
                "personal_data": "on",
            },
        )
    )
    report = FieldReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/me/field-reports/{report.pk}/"
    assert (report.owner_role, report.may_contact, report.personal_data) == (
        "sales_management",
        True,
        True,
    )
    assert report.program is not None and report.photo
    told = Notification.objects.filter(kind="field_report_filed")
    assert list(told.values_list("person_id", flat=True)) == [persona.sales.pk]
    # The notice names the kind, never what the report says.
    assert "Dupont" not in told.get().title + told.get().body
    page = client.get(f"/me/field-reports/{report.pk}/").content.decode()
    assert "Sales lead" in page and "No answer yet" in page
    assert client.get(f"/field-reports/{report.pk}/photo").status_code == 200
    assert AuditEvent.objects.filter(action="field.report_filed").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "sales_lead", "text": "  "}, "Say what you saw or heard."),
        ({"kind": "gossip", "text": "x"}, "Select a valid choice."),
        ({"kind": "other", "text": "x", "link": "javascript:alert(1)"}, "http://"),
    ],
)
def test_bad_input_is_said_on_the_form(persona, client_for, data, field) -> None:
    response = client_for(persona.employee).post("/me/field-reports/new", data)
    assert response.status_code == 200
    assert field in response.content.decode()
    assert not FieldReport.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_not_a_500(persona, client_for) -> None:
    fake = SimpleUploadedFile("p.png", b"not an image at all", content_type="image/png")
    response = client_for(persona.employee).post(
        "/me/field-reports/new", {"kind": "other", "text": "Vu au salon.", "photo": fake}
    )
    assert response.status_code == 200
    assert not FieldReport.objects.exists()


def test_the_owner_triages_and_the_reporter_reads_the_answer(
    persona, client_for, run_events, file_lead
) -> None:
    report_id = file_lead(persona.ambassador)
    sales = client_for(persona.sales)
    queue = sales.get("/console/field-reports/").content.decode()
    assert f"/console/field-reports/{report_id}/" in queue
    assert sales.get(f"/console/field-reports/{report_id}/").status_code == 200
    refused = sales.post(
        f"/console/field-reports/{report_id}/triage", {"status": "useful", "answer": ""}
    )
    assert refused.status_code == 302
    assert FieldReport.objects.get().status == ReportStatus.NEW  # closing needs an answer
    run_events(
        lambda: sales.post(
            f"/console/field-reports/{report_id}/triage",
            {"status": "useful", "answer": "Merci, nous appelons Dupont lundi."},
        )
    )
    report = FieldReport.objects.get()
    assert (report.status, report.answered_by, report.closed_at is not None) == (
        "useful",
        persona.sales,
        True,
    )
    page = client_for(persona.ambassador).get(f"/me/field-reports/{report_id}/").content.decode()
    assert "Merci, nous appelons Dupont lundi." in page and "Useful" in page
    assert Notification.objects.filter(
        person=persona.ambassador, kind="field_report_answered"
    ).exists()


def test_my_reports_and_the_queue_read_in_a_fixed_number_of_queries(
    persona, client_for, file_lead
) -> None:
    file_lead(persona.ambassador)

    def count(client, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    mine, queue = client_for(persona.ambassador), client_for(persona.sales)
    before = (count(mine, "/me/field-reports/"), count(queue, "/console/field-reports/"))
    for index in range(4):
        reporter: Any = PersonFactory(
            organisation=persona.organisation, email=f"r{index}@example.com"
        )
        FieldReport.objects.create(
            organisation=persona.organisation,
            reporter=reporter,
            kind="sales_lead",
            text="x",
            owner_role="sales_management",
        )
        FieldReport.objects.create(
            organisation=persona.organisation,
            reporter=persona.ambassador,
            kind="other",
            text="y",
            owner_role="admin",
        )
    assert (count(mine, "/me/field-reports/"), count(queue, "/console/field-reports/")) == before


def test_the_admin_routes_customer_feedback_to_a_department(persona, client_for) -> None:
    from ambassade.testing.factories import DepartmentFactory

    support = DepartmentFactory(organisation=persona.organisation, name="Support")
    admin = client_for(persona.admin)
    assert "Customer feedback" in admin.get("/console/field-reports/routing/").content.decode()
    response = admin.post(
        "/console/field-reports/routing/",
        {
            "form": "route",
            "kind": "customer_feedback",
            "customer_feedback-role": "hr",
            "customer_feedback-department": str(support.pk),
        },
    )
    assert response.status_code == 302
    saved = admin.post(
        "/console/field-reports/routing/",
        {"form": "settings", "answer_days": "5", "retention_days": "90"},
    )
    assert saved.status_code == 302
    from ambassade.field.models import FieldSettings, Route

    route = Route.objects.get()
    assert (route.kind, route.role, route.department) == ("customer_feedback", "hr", support)
    assert FieldSettings.objects.get().retention_days == 90
    assert AuditEvent.objects.filter(action="field.route_changed").exists()


def test_the_figures_page_defines_each_figure(persona, client_for, file_lead) -> None:
    file_lead(persona.ambassador)
    page = client_for(persona.marketer).get("/console/field-reports/figures/").content.decode()
    assert "calendar days" in page and "Sales lead" in page


def test_every_page_reads_in_french(persona, client_for, run_events, file_lead) -> None:
    from ambassade.testing.french import FrenchReader

    for person in (persona.ambassador, persona.sales, persona.admin):
        person.user.language = "fr"
        person.user.save(update_fields=["language"])
    report_id = file_lead(persona.ambassador, link="https://example.com/a", may_contact=True)
    sales, ambassador = client_for(persona.sales), client_for(persona.ambassador)
    run_events(
        lambda: sales.post(
            f"/console/field-reports/{report_id}/triage",
            {"status": "in_progress", "answer": "Nous regardons."},
        )
    )
    reader = FrenchReader(english_content=["Dupont SA cherche 40 licences."])
    pages = [
        (ambassador, "/me/"),
        (ambassador, "/me/field-reports/"),
        (ambassador, "/me/field-reports/new"),
        (ambassador, f"/me/field-reports/{report_id}/"),
        (sales, "/console/field-reports/"),
        (sales, f"/console/field-reports/{report_id}/"),
        (sales, "/console/field-reports/figures/"),
        (client_for(persona.admin), "/console/field-reports/routing/"),
    ]
    problems: set[str] = set()
    for client, url in pages:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, url
        problems |= reader.problems_in_page(url, response.content.decode())
    assert not problems, "\n".join(sorted(problems))
    form = ambassador.get("/me/field-reports/new").content.decode()
    for words in ("Piste commerciale", "Qu’avez-vous vu ou entendu ?", "Envoyer la remontée"):
        assert words in form
    assert "Remonter une info du terrain" in ambassador.get("/me/").content.decode()
