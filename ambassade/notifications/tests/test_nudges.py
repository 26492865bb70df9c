"""Respectful nudges and the "last seen" they rest on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.notifications import nudges
from ambassade.notifications.models import Notification, Preference, Settings
from ambassade.notifications.tests.conftest import awake
from ambassade.people.models import Person

pytestmark = pytest.mark.django_db


def _away(person, days: int) -> None:
    Person.objects.filter(pk=person.pk).update(created_at=timezone.now() - timedelta(days=90))
    Settings.objects.update_or_create(
        person=person, defaults={"last_seen_on": (timezone.now() - timedelta(days=days)).date()}
    )


def test_opening_the_app_records_last_seen_once_a_day(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    client.get("/me/")
    seen = Settings.objects.get(person=persona.ambassador)
    assert seen.last_seen_on == timezone.now().date()


def test_one_friendly_reminder_after_21_days_then_none_for_21_days(
    persona, enrolled, item, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    awake(enrolled)
    _away(enrolled, 30)
    Person.objects.filter(pk=persona.marketer.pk).update(
        created_at=timezone.now() - timedelta(days=90)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert nudges.send_nudges() == 1  # the ambassador only: the marketer is no ambassador
    notice = Notification.objects.get()
    assert notice.kind == "nudge" and item.title in notice.body
    assert [message.to for message in mailoutbox] == [[enrolled.email]]
    assert nudges.send_nudges() == 0
    assert nudges.send_nudges(now=timezone.now() + timedelta(days=10)) == 0
    assert nudges.send_nudges(now=timezone.now() + timedelta(days=22)) == 1


def test_someone_seen_recently_is_left_alone(persona, enrolled, mailoutbox) -> None:
    _away(enrolled, 3)
    assert nudges.send_nudges() == 0 and mailoutbox == []


def test_nudges_are_off_in_one_tap(persona, enrolled, client_for, mailoutbox) -> None:
    awake(enrolled)
    _away(enrolled, 30)
    client = client_for(enrolled)
    form = {
        "kinds": ["nudge"],
        "quiet_start": "00:00",
        "quiet_end": "00:00",
        "daily_cap": "3",
        "weekly_cap": "10",
    }
    assert client.post("/me/notifications/settings/", form).status_code == 302
    assert Preference.objects.filter(kind="nudge", enabled=True).count() == 0
    _away(enrolled, 30)  # the page visit counted as a visit
    nudges.send_nudges()
    assert not Notification.objects.exists() and mailoutbox == []
