"""The notifications API: list, unread count, mark read, mark all read, preferences."""

from __future__ import annotations

import json

import pytest

from ambassade.notifications.models import Notification, Preference, Settings

pytestmark = pytest.mark.django_db


def _put(client, body: dict):
    return client.put(
        "/api/v1/notifications/preferences", json.dumps(body), content_type="application/json"
    )


def _notice(person, title: str) -> Notification:
    return Notification.objects.create(
        organisation=person.organisation, person=person, kind="welcome", title=title, url="/feed/"
    )


def test_list_count_and_marking_read(persona, client_for) -> None:
    first = _notice(persona.ambassador, "Welcome")
    _notice(persona.ambassador, "Welcome again")
    theirs = _notice(persona.marketer, "Not yours")
    client = client_for(persona.ambassador)
    listed = client.get("/api/v1/notifications").json()
    assert listed["count"] == 2
    assert [row["title"] for row in listed["items"]] == ["Welcome again", "Welcome"]
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 2}
    marked = client.post(f"/api/v1/notifications/{first.pk}/read")
    assert marked.status_code == 200 and marked.json()["read_at"] is not None
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 1}
    missing = client.post(f"/api/v1/notifications/{theirs.pk}/read")
    assert missing.status_code == 404 and "error" in missing.json()
    assert client.post("/api/v1/notifications/read-all").json() == {"unread": 0}
    assert Notification.objects.filter(read_at__isnull=True).get() == theirs


def test_preferences_get_and_put(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    read = client.get("/api/v1/notifications/preferences").json()
    defaults = {(row["kind"], row["channel"]): row["enabled"] for row in read["choices"]}
    assert defaults[("featured_content", "email")] is False  # the digest carries it
    assert defaults[("featured_content", "push")] is True
    assert defaults[("new_content", "email")] is False
    assert (read["quiet_start"], read["daily_cap"], read["weekly_cap"]) == ("22:00:00", 3, 10)
    changed = _put(
        client,
        {
            "choices": [{"kind": "featured_content", "channel": "push", "enabled": False}],
            "quiet_start": "23:00",
            "daily_cap": 1,
        },
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    now = {(row["kind"], row["channel"]): row["enabled"] for row in body["choices"]}
    assert now[("featured_content", "push")] is False and body["daily_cap"] == 1
    assert body["quiet_start"] == "23:00:00" and body["weekly_cap"] == 10
    assert Settings.objects.get(person=persona.ambassador).daily_cap == 1


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (
            {"kind": "bogus", "channel": "email", "enabled": True},
            "Unknown kind of notification: bogus.",
        ),
        ({"kind": "nudge", "channel": "fax", "enabled": True}, "Unknown channel: fax."),
    ],
)
def test_unknown_kind_or_channel_is_422(persona, client_for, choice, message) -> None:
    response = _put(client_for(persona.ambassador), {"choices": [choice]})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["message"] == message
    assert not Preference.objects.exists()


def test_a_cap_out_of_range_is_422(persona, client_for) -> None:
    response = _put(client_for(persona.ambassador), {"daily_cap": 1000})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"
