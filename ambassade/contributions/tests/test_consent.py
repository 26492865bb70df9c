"""The consent to the contribution report, on My programs and in the API."""

from __future__ import annotations

import json

import pytest

from ambassade.contributions.tests.conftest import enrol
from ambassade.core.models import AuditEvent
from ambassade.programs.models import AmbassadorType, Enrolment

pytestmark = pytest.mark.django_db

SECTION = "Contribution report for my annual review"


def test_asked_only_where_the_type_counts_in_evaluation(persona, program, client_for) -> None:
    enrol(program, persona.ambassador, "mission")
    enrol(program, persona.employee, "supporter")
    mission_page = client_for(persona.ambassador).get("/me/programs/").content.decode()
    assert SECTION in mission_page
    assert "Allow my contribution report" in mission_page
    assert "HR and the organisation's admins may download it" in mission_page
    assert SECTION not in client_for(persona.employee).get("/me/programs/").content.decode()


def test_given_and_withdrawn_in_one_click_each(persona, program, client_for) -> None:
    enrolment = enrol(program, persona.ambassador, "mission")
    client = client_for(persona.ambassador)
    url = f"/me/enrolments/{enrolment.pk}/report-consent"
    assert client.post(url, {"contribution_report_consent": "on"}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.contribution_report_consent is True
    page = client.get("/me/programs/").content.decode()
    assert "Withdraw my consent" in page
    assert client.post(url).status_code == 302  # the withdraw button sends nothing else
    enrolment.refresh_from_db()
    assert enrolment.contribution_report_consent is False
    events = AuditEvent.objects.filter(action="enrolment.report_consent_changed").order_by("pk")
    assert [event.after["contribution_report_consent"] for event in events] == [True, False]


def test_refused_for_a_type_that_does_not_count(persona, program, client_for) -> None:
    enrolment = enrol(program, persona.ambassador, "designated")
    client = client_for(persona.ambassador)
    response = client.post(
        f"/me/enrolments/{enrolment.pk}/report-consent",
        {"contribution_report_consent": "on"},
        follow=True,
    )
    assert "does not count in evaluation" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.contribution_report_consent is False


def test_withdrawable_after_the_type_stopped_counting(persona, program, client_for) -> None:
    enrolment = enrol(program, persona.ambassador, "mission", consent=True)
    AmbassadorType.objects.filter(pk=enrolment.ambassador_type_id).update(
        counts_in_evaluation=False
    )
    client = client_for(persona.ambassador)
    assert "Withdraw my consent" in client.get("/me/programs/").content.decode()
    client.post(f"/me/enrolments/{enrolment.pk}/report-consent")
    enrolment.refresh_from_db()
    assert enrolment.contribution_report_consent is False


def test_nobody_else_gives_it(persona, program, client_for) -> None:
    enrolment = enrol(program, persona.ambassador, "mission")
    for name in ("hr", "admin", "outsider"):
        response = client_for(getattr(persona, name)).post(
            f"/me/enrolments/{enrolment.pk}/report-consent",
            {"contribution_report_consent": "on"},
        )
        assert response.status_code == 404, name
    enrolment.refresh_from_db()
    assert enrolment.contribution_report_consent is False


def test_the_api_mirrors_the_page(persona, program, client_for) -> None:
    mission = enrol(program, persona.ambassador, "mission")
    client = client_for(persona.ambassador)

    def put(enrolment: Enrolment, value: bool, who=client):
        return who.put(
            f"/api/v1/me/enrolments/{enrolment.pk}/report-consent",
            json.dumps({"contribution_report_consent": value}),
            content_type="application/json",
        )

    response = put(mission, True)
    assert response.status_code == 200
    assert response.json()["contribution_report_consent"] is True
    assert put(mission, False).json()["contribution_report_consent"] is False
    assert put(mission, True, client_for(persona.hr)).status_code == 404
    other = enrol(program, persona.employee, "supporter")
    refused = put(other, True, client_for(persona.employee))
    assert refused.status_code == 422
    assert "does not count in evaluation" in refused.json()["error"]["message"]
