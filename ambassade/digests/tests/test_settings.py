"""The person's digest settings: the page (linked from "Me"), off in one click, the API
with its 422s, the audit rows, and the schedule read in each person's time zone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from ambassade.core.authz import Actor
from ambassade.core.models import AuditEvent
from ambassade.digests import actions
from ambassade.digests.models import DigestSubscription, Frequency
from ambassade.digests.schedule import due_period

pytestmark = pytest.mark.django_db


def test_the_me_page_links_to_the_digest_settings(persona, client_for) -> None:
    page = client_for(persona.employee).get("/me/").content.decode()
    assert 'href="/me/digest/"' in page


def test_an_enrolled_ambassador_is_weekly_by_default_and_turns_it_off_in_one_click(
    persona, reader, client_for
) -> None:
    client = client_for(reader)
    page = client.get("/me/digest/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Désactiver le résumé" in body
    assert 'value="weekly" ' in body and "checked" in body.split('value="weekly"')[1][:40]

    answer = client.post("/me/digest/", {"turn_off": "1"})
    assert answer.status_code == 302
    saved = DigestSubscription.objects.get(person=reader)
    assert (saved.frequency, saved.weekday, saved.hour) == (Frequency.OFF, 0, 9)
    event = AuditEvent.objects.get(action="digest.settings")
    assert event.before["frequency"] == "weekly" and event.after["frequency"] == "off"
    assert "Le résumé est désactivé" in client.get("/me/digest/").content.decode()


def test_the_page_saves_a_daily_digest_and_refuses_a_bad_hour(persona, client_for) -> None:
    client = client_for(persona.employee)
    refused = client.post("/me/digest/", {"frequency": "daily", "weekday": "2", "hour": "25"})
    assert refused.status_code == 200
    assert "Select a valid choice" not in refused.content.decode()
    assert "Choose an hour from 0 to 23." in refused.content.decode()
    assert not DigestSubscription.objects.exists()

    client.post("/me/digest/", {"frequency": "daily", "weekday": "2", "hour": "7"})
    saved = DigestSubscription.objects.get(person=persona.employee)
    assert (saved.frequency, saved.weekday, saved.hour) == ("daily", 2, 7)


def test_saving_again_undoes_an_unsubscribe(persona, client_for) -> None:
    subscription = DigestSubscription.objects.create(
        person=persona.employee, unsubscribed_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    client = client_for(persona.employee)
    assert client.get("/api/v1/me/digest").json()["frequency"] == "off"
    client.post("/me/digest/", {"frequency": "weekly", "weekday": "4", "hour": "8"})
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None and subscription.weekday == 4


def test_the_api_reads_and_writes_the_settings(persona, reader, client_for) -> None:
    client = client_for(reader)
    assert client.get("/api/v1/me/digest").json() == {
        "frequency": "weekly",
        "weekday": 0,
        "hour": 9,
    }
    answer = client.put(
        "/api/v1/me/digest",
        json.dumps({"frequency": "daily", "weekday": 3, "hour": 18}),
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json() == {"frequency": "daily", "weekday": 3, "hour": 18}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"frequency": "hourly", "weekday": 0, "hour": 9}, "frequency"),
        ({"frequency": "weekly", "weekday": 7, "hour": 9}, "weekday"),
        ({"frequency": "weekly", "weekday": 0, "hour": 24}, "hour"),
        ({"frequency": "weekly", "weekday": 0}, "hour"),
    ],
)
def test_the_api_refuses_bad_values_with_422(persona, client_for, payload, field) -> None:
    answer = client_for(persona.employee).put(
        "/api/v1/me/digest", json.dumps(payload), content_type="application/json"
    )
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid"
    assert [detail["field"] for detail in error["details"]] == [field]
    assert not DigestSubscription.objects.exists()


def test_an_organisation_token_stands_for_nobody(persona) -> None:
    actor = Actor(organisation=persona.organisation, person=None, roles=frozenset({"admin"}))
    with pytest.raises(PermissionDenied):
        actions.save_settings(actor, {"frequency": "off", "weekday": 0, "hour": 9})


def test_the_schedule_follows_the_persons_zone_and_summer_time() -> None:
    paris = ZoneInfo("Europe/Paris")
    # Winter: Monday 09:00 in Paris is 08:00 UTC; summer: 07:00 UTC.
    winter = due_period("weekly", 0, 9, paris, datetime(2026, 12, 7, 8, 10, tzinfo=UTC))
    summer = due_period("weekly", 0, 9, paris, datetime(2026, 6, 8, 7, 10, tzinfo=UTC))
    assert winter is not None and winter.key == "2026-W50"
    assert summer is not None and summer.key == "2026-W24"
    assert due_period("weekly", 0, 9, paris, datetime(2026, 12, 7, 7, 55, tzinfo=UTC)) is None
    # Past the catch-up window, and on another day: not due.
    assert due_period("weekly", 0, 9, paris, datetime(2026, 12, 7, 14, 30, tzinfo=UTC)) is None
    assert due_period("weekly", 0, 9, paris, datetime(2026, 12, 8, 8, 10, tzinfo=UTC)) is None
    daily = due_period("daily", 0, 23, paris, datetime(2026, 12, 8, 0, 30, tzinfo=UTC))
    # 01:30 in Paris: the day before's 23:00 digest, within its catch-up window.
    assert daily is not None and daily.key == "2026-12-07"
    assert due_period("off", 0, 9, paris, datetime(2026, 12, 7, 8, 10, tzinfo=UTC)) is None
