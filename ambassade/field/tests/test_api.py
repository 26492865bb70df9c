"""/api/v1/field operations, each through HTTP: file, mine, the queue, triage, routing,
settings, figures; bad input is a 422 in the error format, never a 500."""

from __future__ import annotations

import base64

import pytest

from ambassade.field.models import FieldReport
from ambassade.field.tests.conftest import png, send

pytestmark = pytest.mark.django_db


def test_file_read_mine_triage_and_read_the_answer(
    persona, client_for, run_events, enrolled
) -> None:
    ambassador = client_for(persona.ambassador)
    filed = run_events(
        lambda: send(
            ambassador,
            "post",
            "/api/v1/field/reports",
            {
                "kind": "event_idea",
                "text": "Un salon de la robotique à Lyon en mars.",
                "photo_base64": base64.b64encode(png()).decode(),
                "may_contact": True,
            },
        )
    )
    assert filed.status_code == 201, filed.content
    body = filed.json()
    assert (body["status"], body["has_photo"], body["may_contact"]) == ("new", True, True)
    comms = client_for(persona.comms)
    queue = comms.get("/api/v1/field/queue").json()
    assert [row["id"] for row in queue["items"]] == [body["id"]]
    assert queue["items"][0]["reporter"] == persona.ambassador.full_name
    moved = send(
        comms, "post", f"/api/v1/field/queue/{body['id']}/triage", {"status": "in_progress"}
    )
    assert moved.json()["status"] == "in_progress"
    closed = run_events(
        lambda: send(
            comms,
            "post",
            f"/api/v1/field/queue/{body['id']}/triage",
            {"status": "duplicate", "answer": "Déjà prévu par l'équipe événementielle."},
        )
    )
    assert closed.status_code == 200, closed.content
    mine = ambassador.get("/api/v1/field/reports/mine").json()["items"][0]
    assert (mine["status"], mine["answer"]) == (
        "duplicate",
        "Déjà prévu par l'équipe événementielle.",
    )
    assert mine["closed_at"] is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "rumour", "text": "x"}, "kind"),
        ({"kind": "other", "text": "x", "link": "ftp://example.com"}, "link"),
        ({"kind": "other", "text": "   "}, "text"),
        ({"kind": "other", "text": "x", "photo_base64": "pas du base64!"}, "photo_base64"),
        (
            {"kind": "other", "text": "x", "photo_base64": base64.b64encode(b"GIF89").decode()},
            "photo",
        ),
        ({"kind": "other", "text": "x", "colour": "blue"}, "colour"),
    ],
)
def test_bad_reports_are_422_naming_the_field(persona, client_for, body, field) -> None:
    response = send(client_for(persona.employee), "post", "/api/v1/field/reports", body)
    assert response.status_code == 422, response.content
    assert field in response.content.decode()
    assert not FieldReport.objects.exists()


def test_closing_without_an_answer_and_a_new_status_are_refused(
    persona, client_for, file_lead
) -> None:
    report_id = file_lead(persona.ambassador)
    sales = client_for(persona.sales)
    url = f"/api/v1/field/queue/{report_id}/triage"
    assert send(sales, "post", url, {"status": "useful"}).status_code == 422
    assert send(sales, "post", url, {"status": "new"}).status_code == 422
    assert send(sales, "post", url, {"status": "useful", "answer": "x" * 5001}).status_code == 422


def test_the_admin_routes_and_sets_the_settings(persona, client_for, file_lead) -> None:
    admin = client_for(persona.admin)
    routes = {row["kind"]: row for row in admin.get("/api/v1/field/routing").json()}
    assert routes["sales_lead"]["role"] == "sales_management"
    assert routes["event_idea"]["role"] == "internal_comms"
    assert routes["other"]["role"] == "admin"
    assert routes["customer_feedback"] == {
        "kind": "customer_feedback",
        "role": "marketing",
        "department_id": None,
        "configured": False,
    }
    changed = send(admin, "put", "/api/v1/field/routing/customer_feedback", {"role": "hr"})
    assert changed.json()["configured"] is True
    assert send(admin, "put", "/api/v1/field/routing/other", {"role": "coach"}).status_code == 422
    assert (
        send(admin, "put", "/api/v1/field/routing/other", {"role": "hr", "department_id": 999})
    ).status_code == 422
    file_lead(persona.ambassador, kind="customer_feedback")
    assert FieldReport.objects.get().owner_role == "hr"
    assert client_for(persona.hr).get("/api/v1/field/queue").json()["count"] == 1
    patched = send(admin, "patch", "/api/v1/field/settings", {"answer_days": 5})
    assert patched.json() == {"answer_days": 5, "retention_days": 180}
    assert send(admin, "patch", "/api/v1/field/settings", {"answer_days": 0}).status_code == 422
    assert send(client_for(persona.marketer), "get", "/api/v1/field/routing").status_code == 403


def test_the_figures_count_answers_within_the_target(persona, client_for, file_lead) -> None:
    from datetime import timedelta

    from django.utils import timezone

    first, second = file_lead(persona.ambassador), file_lead(persona.ambassador)
    file_lead(persona.ambassador, kind="competitor_news")
    long_ago = timezone.now() - timedelta(days=10)
    FieldReport.objects.filter(pk__in=[first, second]).update(filed_at=long_ago)
    FieldReport.objects.filter(pk=first).update(
        answered_at=long_ago + timedelta(days=2), status="useful", answer="Merci"
    )
    figures = client_for(persona.sales).get("/api/v1/field/figures").json()
    assert figures["answer_days"] == 7
    rows = {row["kind"]: row for row in figures["rows"]}
    leads = rows["sales_lead"]
    assert (leads["reports"], leads["answer_due"], leads["answered_in_time"]) == (2, 2, 1)
    assert (leads["share_answered_in_time"], leads["useful"], leads["open"]) == (50, 1, 1)
    news = rows["competitor_news"]
    assert (news["reports"], news["answer_due"], news["share_answered_in_time"]) == (1, 0, None)
