"""Bad input gets a clear message and writes nothing; who may do what; the timeline, its
page (a fixed number of queries), its CSV and the banner everyone sees."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ambassade.crisis.models import Crisis, Step
from ambassade.sharing.models import PublishingPause

from .conftest import in_days

pytestmark = pytest.mark.django_db
JSON = "application/json"
GOOD = {
    "name": "Rappel de produit",
    "description": "Un lot de capteurs est rappelé.",
    "ends_at": in_days(1),
}


def start(client: Any, **fields: Any) -> Any:
    return client.post("/api/v1/crisis", {**GOOD, **fields}, content_type=JSON)


def nothing_written(persona: Any) -> None:
    assert not Crisis.objects.filter(organisation=persona.organisation).exists()
    assert not PublishingPause.objects.filter(organisation=persona.organisation, paused=True)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends_at": in_days(-1)}, "ends_at", "The end of the crisis must be in the future."),
        ({"name": "   "}, "name", "This field is required."),
        ({"description": ""}, "description", "This field is required."),
    ],
)
def test_a_crisis_needs_a_name_a_description_and_an_end_to_come(
    persona, client_for, fields, field, message
) -> None:
    refused = start(client_for(persona.comms), **fields)
    assert refused.status_code == 422
    assert refused.json()["error"]["details"] == [{"field": field, "message": message}]
    nothing_written(persona)


def test_spokespeople_come_from_the_organisation(persona, client_for) -> None:
    refused = start(client_for(persona.comms), exempt=[persona.outsider.pk])
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "exempt"
    assert str(persona.outsider.pk) in refused.json()["error"]["message"]
    nothing_written(persona)


def test_one_crisis_at_a_time_and_no_end_in_the_past(persona, client_for) -> None:
    comms = client_for(persona.comms)
    crisis_id = start(comms).json()["id"]
    second = start(comms, name="Autre")
    assert second.status_code == 422
    assert second.json()["error"]["message"] == (
        "A crisis is already running: update it or end it first."
    )
    past = (timezone.now() - timedelta(hours=1)).isoformat()
    moved = comms.patch(f"/api/v1/crisis/{crisis_id}", {"ends_at": past}, content_type=JSON)
    assert moved.status_code == 422
    assert Crisis.objects.get(pk=crisis_id).ends_at > timezone.now()
    assert Crisis.objects.filter(organisation=persona.organisation).count() == 1


def test_who_may_start_a_crisis_and_who_reads_it(persona, client_for) -> None:
    for name in ("ambassador", "employee", "hr", "sales", "coach"):
        assert start(client_for(getattr(persona, name))).status_code == 403, name
    assert start(client_for(persona.marketer)).status_code == 201
    for name in ("ambassador", "employee", "comms", "outsider"):
        current = client_for(getattr(persona, name)).get("/api/v1/crisis/current").json()
        assert current["running"] is (name != "outsider"), name
    read = client_for(persona.ambassador).get("/api/v1/crisis/current").json()["crisis"]
    assert read["name"] == "Rappel de produit"
    assert read["to_do"].startswith("Read this notice")
    crisis_id = read["id"]
    assert client_for(persona.outsider).get(f"/api/v1/crisis/{crisis_id}").status_code == 404
    assert client_for(persona.outsider).post(f"/api/v1/crisis/{crisis_id}/end").status_code == 404
    assert client_for(persona.ambassador).get(f"/console/crisis/{crisis_id}/").status_code == 403


def test_the_timeline_keeps_every_step_and_its_page_reads_in_fixed_queries(
    persona, client_for, spokesperson, django_assert_max_num_queries
) -> None:
    comms = client_for(persona.comms)
    crisis_id = start(comms).json()["id"]
    changed = comms.patch(
        f"/api/v1/crisis/{crisis_id}",
        {
            "description": "Le lot 42 est rappelé.",
            "exempt": [spokesperson.pk],
            "ends_at": in_days(3),
        },
        content_type=JSON,
    )
    assert changed.status_code == 200, changed.json()
    steps = comms.get(f"/api/v1/crisis/{crisis_id}/timeline").json()
    assert [step["kind"] for step in steps] == [
        "started",
        "posts_held",
        "end_date_changed",
        "description_updated",
        "exempt_changed",
    ]
    assert steps[-1]["detail"] == spokesperson.full_name

    def queries_of_the_page() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert comms.get(f"/console/crisis/{crisis_id}/").status_code == 200
        return len(captured)

    few = queries_of_the_page()
    crisis = Crisis.objects.get(pk=crisis_id)
    Step.objects.bulk_create(
        [Step(crisis=crisis, kind=Step.Kind.DESCRIPTION_UPDATED, actor_label="x")] * 30
    )
    assert queries_of_the_page() == few
    csv = comms.get(f"/console/crisis/{crisis_id}/timeline.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().count("Description updated") == 31


def test_the_banner_is_on_the_feed_and_in_the_composer(persona, client_for, item, enrolled) -> None:
    start(client_for(persona.comms))
    ambassador = client_for(enrolled)
    for path in ("/feed/", f"/share/{item.pk}/", "/me/", "/crisis/"):
        page = ambassador.get(path).content.decode()
        assert "Crisis: Rappel de produit" in page, path
        assert "Un lot de capteurs est rappelé." in page, path
    composer = ambassador.get(f"/share/{item.pk}/").content.decode()
    assert "Sharing is closed during the crisis" in composer
