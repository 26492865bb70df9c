"""Restraint and authenticity: pause, caps, quiet hours, stagger, similarity."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ambassade.sharing import actions, authenticity, publishing, scheduling
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import ShareTarget, SharingSettings, TargetStatus
from ambassade.sharing.tests.conftest import PERSONAL, as_actor
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _share(person, item, account, message=PERSONAL, **kwargs):
    return actions.create_share(
        as_actor(person), item, message, [TargetRequest(account_id=account.pk)], **kwargs
    ).targets.get()


def test_similarity_is_normalised() -> None:
    assert authenticity.similarity("Élan ÉNORME !", "elan   enorme") == 100
    assert (
        authenticity.similarity("https://a.example/x Bonjour", "Bonjour https://b.example") == 100
    )
    assert authenticity.similarity("Fière de mon équipe", "Verdier recrute à Lyon") < 60


def test_a_copy_is_nudged_then_accepted(enrolled, item, account, no_quiet_hours) -> None:
    copy = item.messages.get().text
    with pytest.raises(actions.TooSimilar) as caught:
        _share(enrolled, item, account, copy)
    assert caught.value.score >= 90 and not caught.value.blocking
    target = _share(enrolled, item, account, copy, accept_similar=True)
    assert target.share.similarity >= 90


def test_a_copy_is_blocked_when_the_organisation_says_so(
    enrolled, item, account, no_quiet_hours
) -> None:
    SharingSettings.objects.filter(pk=no_quiet_hours.pk).update(similarity_mode="block")
    with pytest.raises(actions.TooSimilar):
        _share(enrolled, item, account, item.messages.get().text, accept_similar=True)


def test_colleagues_messages_count_too(persona, enrolled, item, account, no_quiet_hours) -> None:
    from ambassade.sharing.models import Share

    colleague: Any = PersonFactory(organisation=persona.organisation)
    Share.objects.create(
        organisation=persona.organisation, person=colleague, item=item, message=PERSONAL
    )
    with pytest.raises(actions.TooSimilar):
        _share(enrolled, item, account)


def test_pause_stops_a_scheduled_post_and_resumes_it(
    persona,
    enrolled,
    item,
    account,
    fake,
    no_quiet_hours,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    target = _share(
        enrolled, item, account, when="schedule", at=datetime.now(UTC) + timedelta(hours=1)
    )
    assert target.status == TargetStatus.SCHEDULED
    actions.set_pause(as_actor(persona.admin), True, "Crise")
    target.refresh_from_db()
    assert target.status == TargetStatus.PAUSED
    ShareTarget.objects.filter(pk=target.pk).update(scheduled_at=timezone.now())
    assert publishing.publish(target.pk) == "skipped"  # paused: not even claimed
    assert fake.posted == []
    page = __import__("django.test", fromlist=["Client"]).Client()
    page.force_login(enrolled.user)
    assert "Paused" in page.get("/me/posts/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_pause(as_actor(persona.admin), False)
    target.refresh_from_db()
    assert target.status == TargetStatus.PUBLISHED
    assert len(fake.posted) == 1


def test_a_post_created_while_paused_waits(
    persona, enrolled, item, account, no_quiet_hours
) -> None:
    actions.set_pause(as_actor(persona.admin), True)
    assert _share(enrolled, item, account).status == TargetStatus.PAUSED


def test_daily_cap_per_network(enrolled, item, account, no_quiet_hours) -> None:
    SharingSettings.objects.filter(pk=no_quiet_hours.pk).update(daily_cap=1, stagger_minutes=0)
    _share(enrolled, item, account)
    with pytest.raises(ValidationError, match="limit"):
        _share(enrolled, item, account, "Un autre texte bien à moi sur ce sujet, vraiment.")


def test_quiet_hours(persona, enrolled, item, account) -> None:
    SharingSettings.objects.create(
        organisation=persona.organisation, quiet_start=time(0, 0), quiet_end=time(23, 59)
    )
    tz = scheduling.zone_of(enrolled)
    with pytest.raises(ValidationError, match="Quiet hours"):
        _share(enrolled, item, account)
    overnight = SharingSettings(quiet_start=time(22), quiet_end=time(7))
    night = datetime(2026, 3, 2, 23, 30, tzinfo=tz)
    assert scheduling.in_quiet_hours(overnight, night, tz)
    assert scheduling.after_quiet_hours(overnight, night, tz) == datetime(
        2026, 3, 3, 7, 0, tzinfo=tz
    )
    assert not scheduling.in_quiet_hours(overnight, night.replace(hour=12), tz)


def test_stagger_spreads_colleagues(persona, enrolled, item, account, no_quiet_hours) -> None:
    first = _share(
        enrolled, item, account, when="schedule", at=datetime.now(UTC) + timedelta(hours=1)
    )
    second = _share(
        enrolled,
        item,
        account,
        "Encore un message écrit avec mes propres mots ici.",
        when="schedule",
        at=first.scheduled_at + timedelta(minutes=3),
    )
    assert second.scheduled_at - first.scheduled_at == timedelta(minutes=10)


def test_queue_takes_the_next_free_slot(enrolled, item, account, no_quiet_hours) -> None:
    from ambassade.sharing.models import QueueSlot

    for day in range(7):
        QueueSlot.objects.create(person=enrolled, weekday=day, at=time(12, 0))
    first = _share(enrolled, item, account, when="queue")
    assert first.scheduled_at.astimezone(scheduling.zone_of(enrolled)).time() == time(12, 0)
    second = _share(
        enrolled, item, account, "Un deuxième message personnel, bien différent.", when="queue"
    )
    assert second.scheduled_at - first.scheduled_at == timedelta(days=1)
