"""/api/v1/recognition/: the boards, my band, my choices and the setting, through HTTP."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from ambassade.core.models import AuditEvent
from ambassade.people.models import Person
from ambassade.recognition import boards
from ambassade.recognition.models import Profile, RecognitionSettings
from ambassade.recognition.tests.boards_setup import choose, enrol_all, give, small_and_large

pytestmark = pytest.mark.django_db
API = "/api/v1/recognition"


def _put(client: Any, path: str, body: Any) -> Any:
    return client.put(API + path, json.dumps(body), content_type="application/json")


@pytest.fixture
def crowd(program, enrolled) -> Person:
    """The team of 5 and the team of 50, the ambassador (opted in, 45 points) and, in no
    team, the person with the most points, who did not opt in."""
    small_and_large(program)
    hidden = Person.objects.create(
        organisation=program.organisation,
        first_name="Zoé",
        last_name="Discrète",
        email="zoe.discrete@example.com",
    )
    enrol_all(program, [hidden])
    give(hidden, 5_000)
    choose(enrolled, on_boards=True)
    give(enrolled, 45)
    return hidden


def test_the_boards_name_only_those_who_opted_in_and_score_teams_by_average(
    persona, client_for, crowd, enrolled
) -> None:
    for period in ("30d", "quarter"):
        answer = client_for(enrolled).get(f"{API}/boards?period={period}")
        assert answer.status_code == 200, answer.content
        assert "Discr" not in answer.content.decode() and "Zo" not in answer.content.decode()
        found = answer.json()
        assert found["period"] == period
        assert found["people"][0] == {"rank": 1, "name": enrolled.full_name, "points": 45}
        assert len(found["people"]) == 6  # 2 of the small team, 3 of the large, and me
        assert {(t["name"], t["members"], t["average"]) for t in found["teams"]} == {
            ("Small team", 5, 30.0),
            ("Large team", 50, 30.0),
        }
        assert found["executives"] == [] and found["teams_too_small"] == 0


def test_executives_are_only_on_their_own_board(client_for, crowd, enrolled) -> None:
    choose(enrolled, on_boards=True, executive=True)
    found = client_for(enrolled).get(f"{API}/boards").json()
    assert [line["name"] for line in found["executives"]] == [enrolled.full_name]
    assert enrolled.full_name not in [line["name"] for line in found["people"]]


def test_a_bad_period_is_a_422_in_the_house_format(client_for, enrolled) -> None:
    for path in ("/boards?period=year", "/me/band?period=7d"):
        answer = client_for(enrolled).get(API + path)
        assert answer.status_code == 422
        error = answer.json()["error"]
        assert error["code"] == "invalid"
        assert error["details"][0]["field"] == "period"
        assert "“30d”" in error["details"][0]["message"]


def test_bands_only_keeps_the_rankings_from_people_not_from_the_working_group(
    persona, client_for, crowd, enrolled
) -> None:
    RecognitionSettings.objects.create(organisation=persona.organisation, boards="bands")
    refused = client_for(enrolled).get(f"{API}/boards")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "bands_only"
    assert client_for(persona.comms).get(f"{API}/boards").status_code == 200
    band = client_for(enrolled).get(f"{API}/me/band").json()
    assert band["points"] == 45 and band["member"] and band["percentile"] == 10
    assert band["team"] == "" and band["sentences"] == ["You are in the top 10 %."]


def test_the_quarter_resets(client_for, enrolled) -> None:
    start = boards.window(enrolled.organisation, "quarter").start
    give(enrolled, 7, at=start - timedelta(minutes=1))
    band = client_for(enrolled).get(f"{API}/me/band?period=quarter").json()
    assert band["points"] == 0
    assert band["sentences"] == [
        "No points in this period yet: one share is enough to get started."
    ]


def test_my_choices_are_strict_and_audited(persona, client_for, crowd, program) -> None:
    person = persona.ambassador  # enrolled by the crowd's fixture, opted in
    client = client_for(person)
    assert client.get(f"{API}/me/choices").json() == {"on_boards": True, "show_badges": True}
    bad = _put(client, "/me/choices", {"on_boards": "yes", "show_badges": True})
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["field"] == "on_boards"
    out = _put(client, "/me/choices", {"on_boards": False, "show_badges": False})
    assert out.status_code == 200 and out.json() == {"on_boards": False, "show_badges": False}
    assert not Profile.objects.get(person=person).on_boards
    names = [line["name"] for line in client.get(f"{API}/boards").json()["people"]]
    assert person.full_name not in names and len(names) == 5
    row = AuditEvent.objects.get(action="recognition.choices_changed")
    assert row.before == {"on_boards": True, "show_badges": True}
    # A person outside any program still chooses, and sees why they have no band.
    employee = client_for(persona.employee)
    chosen = _put(employee, "/me/choices", {"on_boards": True, "show_badges": True})
    assert chosen.status_code == 200
    assert employee.get(f"{API}/me/band").json()["member"] is False


def test_the_setting_is_for_the_working_group(persona, client_for) -> None:
    assert client_for(persona.ambassador).get(f"{API}/settings").status_code == 403
    assert _put(client_for(persona.sales), "/settings", {"boards": "bands"}).status_code == 403
    hr = client_for(persona.hr)
    assert hr.get(f"{API}/settings").json() == {"boards": "ranked"}
    bad = _put(hr, "/settings", {"boards": "podium"})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"] == [
        {"field": "boards", "message": "Choose “ranked” (ranked boards) or “bands” (bands only)."}
    ]
    assert _put(hr, "/settings", {"boards": "bands"}).json() == {"boards": "bands"}
    assert client_for(persona.sales).get(f"{API}/settings").json() == {"boards": "bands"}
    assert AuditEvent.objects.filter(action="recognition.settings_changed").count() == 1
    other = client_for(persona.outsider)
    assert other.get(f"{API}/settings").json() == {"boards": "ranked"}


def test_the_working_group_puts_a_person_on_the_executives_board(
    persona, client_for, crowd, enrolled
) -> None:
    path = f"/people/{enrolled.pk}/executive"
    assert _put(client_for(enrolled), path, {"executive": True}).status_code == 403
    assert _put(client_for(persona.sales), path, {"executive": True}).status_code == 403
    other = _put(client_for(persona.outsider), path, {"executive": True})
    assert other.status_code == 404
    bad = _put(client_for(persona.hr), path, {"executive": "yes"})
    assert bad.status_code == 422
    done = _put(client_for(persona.marketer), path, {"executive": True})
    assert done.json() == {"person_id": enrolled.pk, "executive": True}
    found = client_for(enrolled).get(f"{API}/boards").json()
    assert [line["name"] for line in found["executives"]] == [enrolled.full_name]
    row = AuditEvent.objects.get(action="recognition.executive_set")
    assert row.target_id == str(enrolled.pk)
