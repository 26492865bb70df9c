"""Who sees which report: the reporter theirs, the owners of its queue (role, and
department when the queue has one), nobody else; another organisation nothing."""

from __future__ import annotations

from typing import Any

import pytest

from ambassade.core.roles import Role
from ambassade.field.models import FieldReport, Route
from ambassade.field.tests.conftest import send
from ambassade.testing.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_an_employee_sees_none_of_anothers_reports(persona, client_for, file_lead) -> None:
    report_id = file_lead(persona.ambassador, photo_base64=None)
    employee = client_for(persona.employee)
    assert employee.get(f"/me/field-reports/{report_id}/").status_code == 404
    assert employee.get(f"/field-reports/{report_id}/photo").status_code == 404
    assert employee.get(f"/console/field-reports/{report_id}/").status_code == 403
    assert employee.get("/api/v1/field/reports/mine").json()["count"] == 0
    assert employee.get(f"/api/v1/field/queue/{report_id}").status_code == 403


def test_the_marketing_owner_cannot_triage_the_sales_queue(persona, client_for, file_lead) -> None:
    report_id = file_lead(persona.ambassador)
    marketer = client_for(persona.marketer)
    assert marketer.get("/api/v1/field/queue").json()["count"] == 0
    assert marketer.get(f"/console/field-reports/{report_id}/").status_code == 404
    posted = marketer.post(
        f"/console/field-reports/{report_id}/triage", {"status": "useful", "answer": "Non."}
    )
    assert posted.status_code == 404
    answered = send(
        marketer,
        "post",
        f"/api/v1/field/queue/{report_id}/triage",
        {"status": "not_pursued", "answer": "Non."},
    )
    assert answered.status_code == 404
    assert answered.json()["error"]["code"] == "not_found"
    assert FieldReport.objects.get().status == "new"
    # The marketing queue's own report is the marketer's.
    market_id = file_lead(persona.ambassador, kind="competitor_news")
    assert marketer.get(f"/console/field-reports/{market_id}/").status_code == 200
    assert client_for(persona.sales).get(f"/console/field-reports/{market_id}/").status_code == 404


def test_a_queue_of_one_department_is_its_members_only(persona, client_for, file_lead) -> None:
    support: Any = DepartmentFactory(organisation=persona.organisation, name="Support")
    member = PersonFactory(
        organisation=persona.organisation,
        email="support.lead@example.com",
        roles=[Role.MARKETING],
        with_user=True,
        department=support,
    )
    Route.objects.create(
        organisation=persona.organisation,
        kind="customer_feedback",
        role=Role.MARKETING,
        department=support,
    )
    report_id = file_lead(persona.ambassador, kind="customer_feedback")
    assert FieldReport.objects.get().department == support
    assert client_for(member).get(f"/console/field-reports/{report_id}/").status_code == 200
    outside = client_for(persona.marketer)  # marketing, but not of the Support department
    assert outside.get(f"/console/field-reports/{report_id}/").status_code == 404
    from ambassade.notifications.models import Notification

    told = set(
        Notification.objects.filter(kind="field_report_filed").values_list("person_id", flat=True)
    )
    assert told == {member.pk}


def test_another_organisation_sees_nothing(persona, client_for, file_lead) -> None:
    report_id = file_lead(persona.ambassador, kind="other")
    outsider = client_for(persona.outsider)  # an admin of their own organisation
    assert outsider.get(f"/console/field-reports/{report_id}/").status_code == 404
    assert outsider.get(f"/me/field-reports/{report_id}/").status_code == 404
    assert outsider.get(f"/field-reports/{report_id}/photo").status_code == 404
    assert outsider.get("/api/v1/field/queue").json()["count"] == 0
    assert outsider.get(f"/api/v1/field/queue/{report_id}").status_code == 404
    refused = send(
        outsider, "post", f"/api/v1/field/queue/{report_id}/triage", {"status": "in_progress"}
    )
    assert refused.status_code == 404
    figures = outsider.get("/api/v1/field/figures").json()
    assert figures["rows"] == []
    # The admin of Acme owns the "other" queue.
    assert client_for(persona.admin).get(f"/console/field-reports/{report_id}/").status_code == 200


def test_a_token_needs_the_field_scopes(persona) -> None:
    from django.test import Client

    from ambassade.people.models import ApiToken, hash_token

    def bearer(person, scopes: list[str]) -> dict[str, str]:
        secret = f"amb_field{person.pk}{scopes[0].replace(':', '')}"
        ApiToken.objects.create(
            organisation=persona.organisation,
            person=person,
            name="t",
            scopes=scopes,
            secret_hash=hash_token(secret),
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    client = Client()
    body = {"kind": "event_idea", "text": "Un meetup à Lyon."}
    reader = bearer(persona.ambassador, ["profile:read"])
    refused = client.post("/api/v1/field/reports", body, "application/json", **reader)
    assert refused.status_code == 403
    writer = bearer(persona.ambassador, ["field:write"])
    filed = client.post("/api/v1/field/reports", body, "application/json", **writer)
    assert filed.status_code == 201, filed.content
    comms = bearer(persona.comms, ["field:triage"])
    assert client.get("/api/v1/field/queue", **comms).json()["count"] == 1


def test_a_queue_nobody_holds_is_told_to_the_admins(persona, client_for, file_lead) -> None:
    from ambassade.notifications.models import Notification

    Route.objects.create(
        organisation=persona.organisation, kind="event_idea", role=Role.HR, department=None
    )
    persona.hr.role_assignments.all().delete()
    report_id = file_lead(persona.ambassador, kind="event_idea")
    told = Notification.objects.get(kind="field_report_filed")
    assert (told.person, told.url) == (persona.admin, "/console/field-reports/routing/")
    # Giving someone the role gives them the queue, the waiting report included.
    newcomer: Any = PersonFactory(
        organisation=persona.organisation,
        email="new.hr@example.com",
        roles=[Role.HR],
        with_user=True,
    )
    assert client_for(newcomer).get(f"/console/field-reports/{report_id}/").status_code == 200
