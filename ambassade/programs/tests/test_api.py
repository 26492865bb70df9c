"""The programs under /api/v1/: same rules as the pages, same error format."""

from __future__ import annotations

import pytest
from django.test import Client

from ambassade.people import actions as people_actions
from ambassade.programs.models import CharterAcceptance, Enrolment, Invitation, Program
from ambassade.programs.tests.conftest import CHARTER_EN, CHARTER_FR, as_actor

pytestmark = pytest.mark.django_db


def token_client(person, scopes: list[str]) -> Client:
    _, secret = people_actions.create_api_token(as_actor(person), name="test", scopes=scopes)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_USER_AGENT="python-httpx/0.28")


def test_marketing_creates_a_program_with_targets_and_a_charter(persona) -> None:
    api = token_client(persona.marketer, ["programs:read", "programs:write"])
    response = api.post(
        "/api/v1/programs",
        {"name": "Lancement X", "objectives": ["sales", "brand_awareness"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    program = response.json()
    assert program["owner_ids"] == [persona.marketer.pk]
    target = api.post(
        f"/api/v1/programs/{program['id']}/targets",
        {
            "metric": "conversions",
            "target": "40",
            "period_start": "2027-01-01",
            "period_end": "2027-06-30",
        },
        content_type="application/json",
    )
    assert target.status_code == 201
    patched = api.patch(
        f"/api/v1/programs/{program['id']}/targets/{target.json()['id']}",
        {"target": "55"},
        content_type="application/json",
    )
    assert patched.json()["target"] in ("55", "55.00", 55, 55.0)
    draft = api.post(
        f"/api/v1/programs/{program['id']}/charter-versions",
        {"body_fr": CHARTER_FR, "body_en": CHARTER_EN},
        content_type="application/json",
    )
    assert draft.status_code == 201
    assert draft.json()["status"] == "draft"
    published = api.post(
        f"/api/v1/programs/{program['id']}/charter-versions/{draft.json()['id']}/publish"
    )
    assert published.status_code == 200
    assert len(published.json()["content_hash"]) == 64
    got = api.get(f"/api/v1/programs/{program['id']}").json()
    assert got["targets"][0]["metric"] == "conversions"
    renamed = api.patch(
        f"/api/v1/programs/{program['id']}",
        {"self_service": True},
        content_type="application/json",
    )
    assert renamed.json()["self_service"] is True
    listed = api.get("/api/v1/programs").json()
    assert listed["count"] == 1
    assert listed["items"][0]["name"] == "Lancement X"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {
                "metric": "shares",
                "target": "0",
                "period_start": "2027-01-01",
                "period_end": "2027-02-01",
            },
            "target",
        ),
        (
            {
                "metric": "shares",
                "target": "5",
                "period_start": "2027-03-01",
                "period_end": "2027-02-01",
            },
            "period_end",
        ),
        (
            {
                "metric": "likes",
                "target": "5",
                "period_start": "2027-01-01",
                "period_end": "2027-02-01",
            },
            "metric",
        ),
    ],
)
def test_bad_targets_get_the_error_format(persona, program, body, field) -> None:
    api = token_client(persona.marketer, ["programs:write"])
    response = api.post(
        f"/api/v1/programs/{program.pk}/targets", body, content_type="application/json"
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["details"][0]["field"] == field


def test_an_empty_charter_is_refused(persona, program) -> None:
    api = token_client(persona.hr, ["programs:write"])
    response = api.post(
        f"/api/v1/programs/{program.pk}/charter-versions",
        {"body_fr": "<p> </p>", "body_en": CHARTER_EN},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "French charter is empty" in response.json()["error"]["message"]


def test_scopes_and_roles_both_bound_the_api(persona, program) -> None:
    read_only = token_client(persona.marketer, ["programs:read"])
    response = read_only.post(
        "/api/v1/programs",
        {"name": "X", "objectives": ["sales"]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    coach = token_client(persona.coach, ["programs:read", "programs:write"])
    assert coach.get(f"/api/v1/programs/{program.pk}").status_code == 200
    assert (
        coach.patch(
            f"/api/v1/programs/{program.pk}", {"name": "Y"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert not Program.objects.filter(name="Y").exists()


def test_hr_invites_and_the_person_accepts_through_the_api(persona, program) -> None:
    hr = token_client(persona.hr, ["programs:read", "programs:write"])
    response = hr.post(
        f"/api/v1/programs/{program.pk}/invitations",
        {
            "person_ids": [persona.employee.pk, persona.sales.pk],
            "ambassador_type": "mission",
            "campaign_name": "Ventes T1",
            "max_reminders": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert len(created["invitations"]) == 2
    assert created["campaign_id"]
    listed = hr.get(f"/api/v1/programs/{program.pk}/invitations").json()
    assert listed["count"] == 2
    invitation = Invitation.objects.get(person=persona.employee)

    employee = token_client(persona.employee, ["programs:read", "enrolment:write"])
    mine = employee.get("/api/v1/me/invitations").json()
    assert [item["id"] for item in mine["items"]] == [invitation.pk]
    refused = employee.post(
        f"/api/v1/me/invitations/{invitation.pk}/accept",
        {"accept_charter": False},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "accept_charter"
    accepted = employee.post(
        f"/api/v1/me/invitations/{invitation.pk}/accept",
        {"accept_charter": True},
        content_type="application/json",
    )
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "active"
    assert accepted.json()["ambassador_type"] == "mission"
    acceptance = CharterAcceptance.objects.get()
    assert acceptance.channel == "api"
    assert acceptance.user_agent_family == "Python"
    again = employee.post(
        f"/api/v1/me/invitations/{invitation.pk}/accept",
        {"accept_charter": True},
        content_type="application/json",
    )
    assert again.status_code == 422

    sales = token_client(persona.sales, ["enrolment:write"])
    other = Invitation.objects.get(person=persona.sales)
    assert sales.post(f"/api/v1/me/invitations/{invitation.pk}/decline").status_code == 404
    assert sales.post(f"/api/v1/me/invitations/{other.pk}/decline").json()["status"] == "declined"

    funnel = hr.get(f"/api/v1/programs/{program.pk}/invitations/funnel").json()
    assert funnel == {
        "invited": 2,
        "opened": 2,
        "accepted": 1,
        "declined": 1,
        "expired": 0,
        "acceptance_rate": 50,
    }

    enrolment = Enrolment.objects.get(person=persona.employee)
    visible = employee.put(
        f"/api/v1/me/enrolments/{enrolment.pk}/visibility",
        {"individual_visibility": True},
        content_type="application/json",
    )
    assert visible.json()["individual_visibility"] is True
    assert employee.get("/api/v1/me/enrolments").json()["count"] == 1
    left = employee.post(
        f"/api/v1/me/enrolments/{enrolment.pk}/leave",
        {"anonymise_history": True, "disconnect_accounts": True},
        content_type="application/json",
    )
    assert left.json()["status"] == "ended"
    enrolment.refresh_from_db()
    assert enrolment.history_choice == "anonymised"
    assert enrolment.disconnect_accounts is True


def test_reacceptance_through_the_api(persona, program, enrol) -> None:
    from ambassade.programs import actions

    enrolment = enrol(persona.ambassador)
    marketer = as_actor(persona.marketer)
    version = actions.save_charter_draft(
        marketer,
        program,
        body_fr=CHARTER_FR + "<p>v2</p>",
        body_en=CHARTER_EN,
        change_summary="v2",
    )
    actions.publish_charter(marketer, version)
    api = token_client(persona.ambassador, ["enrolment:write"])
    response = api.post(
        f"/api/v1/me/enrolments/{enrolment.pk}/reaccept",
        {"accept_charter": True},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["accepted_charter_version"] == 2
    assert response.json()["status"] == "active"


def test_ambassador_types_through_the_api(persona) -> None:
    hr = token_client(persona.hr, ["programs:read", "programs:write"])
    types = hr.get("/api/v1/ambassador-types").json()
    assert len(types) == 7
    supporter = next(t for t in types if t["kind"] == "supporter")
    response = hr.patch(
        f"/api/v1/ambassador-types/{supporter['id']}",
        {"posting_guidance": "Librement."},
        content_type="application/json",
    )
    assert response.json()["posting_guidance"] == "Librement."
    marketer = token_client(persona.marketer, ["programs:write"])
    assert (
        marketer.patch(
            f"/api/v1/ambassador-types/{supporter['id']}",
            {"name": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_an_organisation_token_has_no_invitations_of_its_own(persona) -> None:
    _, secret = people_actions.create_api_token(
        as_actor(persona.admin), name="org", scopes=["programs:read"], organisation_wide=True
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me/invitations").status_code == 403
    assert api.get("/api/v1/programs").status_code == 200
