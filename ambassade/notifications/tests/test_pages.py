"""The centre, the bell, the preferences page and the noise report, through HTTP."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassade.core.models import AuditEvent
from ambassade.notifications.models import Notification, Preference, Settings

pytestmark = pytest.mark.django_db


def _notice(person, number: int = 0, **fields) -> Notification:
    values = {
        "organisation": person.organisation,
        "person": person,
        "kind": "featured_content",
        "title": f"Featured {number}",
        "url": "/feed/",
    } | fields
    return Notification.objects.create(**values)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_the_bell_shows_the_unread_count_in_both_spaces(persona, client_for) -> None:
    for number in range(3):
        _notice(persona.admin, number)
    _notice(persona.admin, 9, read_at="2026-01-01T00:00:00Z")
    client = client_for(persona.admin)
    for path, target in (("/me/", "/me/notifications/"), ("/console/", "/console/notifications/")):
        page = client.get(path).content.decode()
        assert f'class="bell" href="{target}"' in page
        assert 'class="bell-count" aria-hidden="true">3<' in page
        assert "Notifications: 3 unread" in page  # the visually hidden label


def test_the_bell_adds_one_query_at_most(persona, client_for, settings) -> None:
    _notice(persona.ambassador)
    client = client_for(persona.ambassador)
    client.get("/me/")  # "last seen" is written once a day: not counted below
    with_bell = _queries(client, "/me/")
    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    processors.remove("ambassade.notifications.context_processors.bell")
    settings.TEMPLATES = templates
    without_bell = _queries(client, "/me/")
    assert 'class="bell"' not in client.get("/me/").content.decode()
    assert with_bell - without_bell <= 1


def test_the_list_is_newest_first_paginated_and_opening_marks_read(
    persona, client_for, django_assert_max_num_queries
) -> None:
    notices = [_notice(persona.ambassador, number) for number in range(25)]
    _notice(persona.marketer, 99, title="Not yours")
    client = client_for(persona.ambassador)
    client.get("/me/")
    with django_assert_max_num_queries(12):
        page = client.get("/me/notifications/").content.decode()
    assert "Featured 24" in page and "Featured 4" not in page and "Not yours" not in page
    assert page.index("Featured 24") < page.index("Featured 23")
    assert "Unread" in page
    assert "Featured 4" in client.get("/me/notifications/?page=2").content.decode()
    opened = client.get(f"/me/notifications/{notices[0].pk}/")
    assert opened.status_code == 302 and opened["Location"] == "/feed/"
    notices[0].refresh_from_db()
    assert notices[0].read_at is not None
    others = Notification.objects.get(person=persona.marketer)
    assert client.get(f"/me/notifications/{others.pk}/").status_code == 404


def test_mark_all_as_read_is_a_post(persona, client_for) -> None:
    for number in range(3):
        _notice(persona.ambassador, number)
    client = client_for(persona.ambassador)
    assert client.get("/me/notifications/read-all").status_code == 405
    response = client.post("/me/notifications/read-all", {"next": "/console/notifications/"})
    assert response.status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_preferences_page_saves_the_table_quiet_hours_and_caps(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    page = client.get("/me/notifications/settings/").content.decode()
    assert "Featured content" in page and 'name="featured_content__email" ' in page
    assert 'id="kind-share_failed"' in page
    form = {
        "kinds": ["featured_content", "nudge"],
        "featured_content__in_app": "on",
        "quiet_start": "21:30",
        "quiet_end": "08:00",
        "daily_cap": "2",
        "weekly_cap": "5",
    }
    assert client.post("/me/notifications/settings/", form).status_code == 302
    chosen = dict(
        ((kind, channel), on)
        for kind, channel, on in Preference.objects.values_list("kind", "channel", "enabled")
    )
    assert chosen[("featured_content", "in_app")] is True
    assert chosen[("featured_content", "email")] is False
    assert chosen[("nudge", "in_app")] is False and chosen[("nudge", "email")] is False
    saved = Settings.objects.get(person=persona.ambassador)
    assert (saved.quiet_start.hour, saved.quiet_start.minute, saved.daily_cap) == (21, 30, 2)
    assert AuditEvent.objects.filter(action="notification_preferences.changed").exists()
    assert "/me/notifications/settings/" in client.get("/me/").content.decode()  # from "Me"


def test_an_unknown_kind_gets_a_clear_error(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    form = {
        "kinds": ["bogus"],
        "quiet_start": "22:00",
        "quiet_end": "07:00",
        "daily_cap": "3",
        "weekly_cap": "10",
    }
    response = client.post("/me/notifications/settings/", form)
    assert response.status_code == 400
    assert "Unknown kind of notification: bogus" in response.content.decode()
    response = client.post("/me/notifications/settings/", form | {"kinds": [], "nudge__fax": "on"})
    assert response.status_code == 400 and "Unknown channel: fax" in response.content.decode()
    assert not Preference.objects.exists()


def test_console_preferences_page(persona, client_for) -> None:
    page = client_for(persona.marketer).get("/console/notifications/settings/")
    assert page.status_code == 200 and "space-console" in page.content.decode()


@pytest.mark.parametrize(
    ("name", "status"),
    [("admin", 200), ("comms", 200), ("marketer", 403), ("ambassador", 403)],
)
def test_noise_report_is_for_admins_and_internal_comms(persona, client_for, name, status) -> None:
    _notice(persona.ambassador, 1, read_at="2026-01-01T00:00:00Z")
    _notice(persona.ambassador, 2)
    Preference.objects.create(
        person=persona.ambassador, kind="featured_content", channel="email", enabled=False
    )
    response = client_for(getattr(persona, name)).get("/console/notifications/report/")
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Featured content" in page
        assert "<td>2</td>" in page and "<td>1 (50 %)</td>" in page
