"""The campaign pages and the API: a campaign created from the console shows its figures
against its goals and its challenges' progress; a challenge ending before it starts is
refused with its message on the page and in the API (no 500); an ambassador sees the
challenges open to them but cannot create campaigns (403)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import translation

from ambassade.recognition.models import CalendarFeed, Campaign, Challenge
from ambassade.recognition.tests.campaign_fixtures import clicks, days, enrol, link

pytestmark = pytest.mark.django_db


def send(client: Any, method: str, path: str, body: Any) -> Any:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def form_days(start: int, end: int) -> dict[str, str]:
    return {name: value.isoformat() for name, value in days(start, end).items()}


def test_a_campaign_from_the_console_with_a_challenge(persona, program, item, client_for) -> None:
    marketer = client_for(persona.marketer)
    created = marketer.post(
        f"/console/recognition/campaigns/?program={program.pk}",
        {"name": "Salon Industrie Lyon", "items": [item.pk], "goal_human_clicks": "8"}
        | form_days(-1, 3),
    )
    assert created.status_code == 302, created.content.decode()
    campaign = Campaign.objects.get()
    assert list(campaign.items.all()) == [item]
    backwards = marketer.post(
        f"/console/recognition/challenges/new?program={program.pk}",
        {"name": "À l'envers", "metric": "human_clicks", "scope": "collective", "target": "4"}
        | {"points": "10"}
        | form_days(2, 0),
    )
    assert backwards.status_code == 200
    assert "The end comes before the start." in backwards.content.decode()
    far = marketer.post(
        f"/console/recognition/campaigns/?program={program.pk}",
        {"name": "Trop loin", "goal_human_clicks": "8"}
        | {"starts_on": "2026-01-01", "ends_on": "9999-12-31"},
    )
    assert far.status_code == 200
    assert "Give a date between 1900-01-01 and 2199-12-31." in far.content.decode()
    assert not Challenge.objects.exists()
    made = marketer.post(
        f"/console/recognition/challenges/new?program={program.pk}",
        {"name": "Clics du salon", "campaign": str(campaign.pk), "metric": "human_clicks"}
        | {"scope": "collective", "target": "4", "points": "10"}
        | form_days(0, 3),
    )
    assert made.status_code == 302
    assert made["Location"] == f"/console/recognition/campaigns/{campaign.pk}/"
    clicks(link(enrol(program, persona.ambassador), item), 3)

    page = marketer.get(made["Location"]).content.decode()
    assert '<progress max="8" value="3"' in page  # the campaign's human clicks
    assert '<progress max="4" value="3"' in page  # its challenge, collective
    assert "Clics du salon" in page

    mine = client_for(persona.ambassador).get("/me/recognition/challenges/").content.decode()
    assert "Clics du salon" in mine and '<progress max="4" value="3"' in mine
    elsewhere = client_for(persona.employee).get("/me/recognition/challenges/").content.decode()
    assert "Clics du salon" not in elsewhere  # not enrolled in the program


def test_an_ambassador_cannot_create_campaigns(persona, program, client_for) -> None:
    ambassador = client_for(persona.ambassador)
    body = {"name": "Non", "goal_human_clicks": "5"} | form_days(0, 1)
    assert ambassador.post("/console/recognition/campaigns/", body).status_code == 403
    api = send(
        ambassador,
        "post",
        "/api/v1/recognition/campaigns",
        {"program_id": program.pk, "name": "Non", "goal_human_clicks": 5} | form_days(0, 1),
    )
    assert api.status_code == 403
    # Sales reads the console's campaigns but writes none.
    sales = client_for(persona.sales)
    assert sales.get(f"/console/recognition/campaigns/?program={program.pk}").status_code == 200
    assert (
        sales.post(f"/console/recognition/campaigns/?program={program.pk}", body).status_code == 403
    )
    assert not Campaign.objects.exists()


def test_the_api_writes_campaigns_and_challenges(persona, program, item, client_for) -> None:
    hr = client_for(persona.hr)
    campaign = send(
        hr,
        "post",
        "/api/v1/recognition/campaigns",
        {"program_id": program.pk, "name": "Salon", "items": [item.pk]}
        | {"goal_human_clicks": 100}
        | form_days(0, 5),
    )
    assert campaign.status_code == 201, campaign.content
    campaign_id = campaign.json()["id"]
    backwards = send(
        hr,
        "post",
        "/api/v1/recognition/challenges",
        {"program_id": program.pk, "name": "À l'envers", "target": 5} | form_days(3, 1),
    )
    assert backwards.status_code == 422
    assert backwards.json()["error"]["details"] == [
        {"field": "ends_on", "message": "The end comes before the start."}
    ]
    challenge = send(
        hr,
        "post",
        "/api/v1/recognition/challenges",
        {"program_id": program.pk, "name": "Partages", "metric": "shares", "target": 3}
        | {"campaign_id": campaign_id, "points": 15}
        | form_days(0, 5),
    )
    assert challenge.status_code == 201, challenge.content
    assert challenge.json()["scope"] == "collective"
    assert challenge.json()["total"] == 0
    changed = send(
        hr,
        "put",
        f"/api/v1/recognition/challenges/{challenge.json()['id']}",
        {"name": "Partages", "metric": "shares", "target": 6, "campaign_id": campaign_id}
        | form_days(1, 9),
    )
    assert changed.status_code == 422
    assert "within the campaign's dates" in changed.json()["error"]["message"]
    listed = hr.get(f"/api/v1/recognition/challenges?program_id={program.pk}").json()
    assert [row["target"] for row in listed] == [3]
    renamed = send(
        hr,
        "put",
        f"/api/v1/recognition/campaigns/{campaign_id}",
        {"name": "Salon de Lyon", "items": [item.pk], "goal_human_clicks": 50} | form_days(0, 5),
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Salon de Lyon"
    foreign = client_for(persona.outsider)
    assert foreign.get(f"/api/v1/recognition/campaigns?program_id={program.pk}").status_code == 404
    # Archiving through the API: the working group only, their own organisation's only.
    challenge_archive = f"/api/v1/recognition/challenges/{challenge.json()['id']}/archive"
    campaign_archive = f"/api/v1/recognition/campaigns/{campaign_id}/archive"
    assert client_for(persona.ambassador).post(challenge_archive).status_code == 403
    assert foreign.post(campaign_archive).status_code == 404
    assert hr.post(challenge_archive).json()["archived"] is True
    assert hr.post(campaign_archive).json()["archived"] is True


def test_the_api_creates_and_revokes_a_calendar_address(persona, program, client_for) -> None:
    comms = client_for(persona.comms)
    made = send(comms, "post", "/api/v1/recognition/calendar/feeds", {"program_id": program.pk})
    assert made.status_code == 201, made.content
    path = "/" + made.json()["url"].split("://", 1)[1].split("/", 1)[1]
    assert comms.get(path).status_code == 200
    feed_id = made.json()["id"]
    assert (
        client_for(persona.sales)
        .delete(f"/api/v1/recognition/calendar/feeds/{feed_id}")
        .status_code
        == 403
    )
    assert comms.delete(f"/api/v1/recognition/calendar/feeds/{feed_id}").status_code == 204
    assert CalendarFeed.objects.get().revoked_at is not None
    assert comms.get(path).status_code == 404


def test_archiving_and_other_organisations(persona, program, item, client_for) -> None:
    from ambassade.core.authz import actor_for_person
    from ambassade.recognition import campaigns

    marketer = actor_for_person(persona.marketer)
    campaign = campaigns.create_campaign(
        marketer, program, name="Salon", items=[item], goal_human_clicks=10, **days(0, 3)
    )
    challenge = campaigns.create_challenge(
        marketer, program, name="Clics", campaign=campaign, target=5, **days(0, 3)
    )
    outsider = client_for(persona.outsider)
    for path in (
        f"/console/recognition/campaigns/{campaign.pk}/",
        f"/console/recognition/challenges/{challenge.pk}/",
        f"/console/recognition/campaigns/?program={program.pk}",
    ):
        assert outsider.get(path).status_code == 404, path
    archive = f"/console/recognition/challenges/{challenge.pk}/archive"
    assert outsider.post(archive).status_code == 404
    sales = client_for(persona.sales)
    assert sales.get(f"/console/recognition/campaigns/{campaign.pk}/").status_code == 200
    assert sales.get(f"/console/recognition/challenges/{challenge.pk}/").status_code == 403
    enrol(program, persona.ambassador)
    ambassador = client_for(persona.ambassador)
    assert "Clics" in ambassador.get("/me/recognition/challenges/").content.decode()
    comms = client_for(persona.comms)
    assert comms.post(archive).status_code == 302
    assert comms.post(f"/console/recognition/campaigns/{campaign.pk}/archive").status_code == 302
    challenge.refresh_from_db()
    campaign.refresh_from_db()
    assert challenge.archived and campaign.archived
    assert "Clics" not in ambassador.get("/me/recognition/challenges/").content.decode()


def test_the_program_dashboard_leads_to_its_campaigns(persona, program, client_for) -> None:
    campaigns_page = f"/console/recognition/campaigns/?program={program.pk}"
    dashboard = f"/console/analytics/programs/{program.pk}/"
    page = client_for(persona.sales).get(dashboard).content.decode()
    assert f'href="{campaigns_page}"' in page
    assert client_for(persona.sales).get(campaigns_page).status_code == 200


def test_the_pages_speak_french(persona, program, item, client_for) -> None:
    from ambassade.core.authz import actor_for_person
    from ambassade.recognition import campaigns
    from ambassade.testing.french import FrenchReader

    marketer = actor_for_person(persona.marketer)
    campaign = campaigns.create_campaign(
        marketer, program, name="Salon", items=[item], goal_human_clicks=10, **days(0, 3)
    )
    challenge = campaigns.create_challenge(
        marketer, program, name="Clics", campaign=campaign, target=5, points=3, **days(0, 3)
    )
    enrol(program, persona.ambassador)
    reader = FrenchReader(english_content=[])
    pages = {
        persona.marketer: [
            f"/console/recognition/campaigns/?program={program.pk}",
            f"/console/recognition/campaigns/{campaign.pk}/",
            f"/console/recognition/challenges/{challenge.pk}/",
            f"/console/recognition/challenges/new?program={program.pk}",
            f"/console/recognition/calendar/?program={program.pk}",
            f"/console/recognition/calendar/?program={program.pk}&week=2026-W10",
        ],
        persona.ambassador: ["/me/recognition/challenges/"],
    }
    # The requests activate French in this thread: give the next tests back their language.
    with translation.override(translation.get_language()):
        for person, paths in pages.items():
            client = client_for(person)
            client.cookies["django_language"] = "fr"
            for path in paths:
                page = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
                assert page.status_code == 200, path
                html = page.content.decode()
                assert 'lang="fr"' in html, path
                assert reader.problems_in_page(path, html) == set(), path
