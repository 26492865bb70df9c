"""Quiet hours, caps and the stagger hold when the publishing task claims a target, not
only when composing: a stagger, a retry or a lifted pause never publishes inside quiet
hours nor all at once. Quiet hours 22:00-07:00 in the person's time zone (Paris)."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta
from typing import Any

import pytest

from ambassade.sharing import actions, publishing
from ambassade.sharing.models import ShareTarget, SharingSettings, TargetStatus
from ambassade.sharing.networks.base import Transient
from ambassade.sharing.tests.colleagues import MESSAGES, Clock, colleagues, local, share
from ambassade.sharing.tests.conftest import as_actor

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def paris(day: int, hour: int, minute: int = 0, month: int = 6) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def rules(persona) -> SharingSettings:
    return SharingSettings.objects.create(
        organisation=persona.organisation,
        quiet_start=time(22),
        quiet_end=time(7),
        stagger_minutes=10,
        daily_cap=3,
    )


def _publish(target: ShareTarget, capture: Any) -> str:
    with capture(execute=True):
        outcome = publishing.publish(target.pk)
    target.refresh_from_db()
    return outcome


def test_a_compose_at_2150_staggered_into_quiet_hours_waits_for_their_end(
    persona, program, item, fake, rules, clock
) -> None:
    clock.set(paris(14, 21, 50))
    people = colleagues(persona, program, 4)
    targets = [
        share(person, item, account, message)
        for (person, account), message in zip(people, MESSAGES, strict=False)
    ]
    assert [local(target, PARIS) for target in targets] == [
        paris(14, 21, 50),
        paris(15, 7, 0),
        paris(15, 7, 10),
        paris(15, 7, 20),
    ]


def test_a_target_due_in_quiet_hours_is_moved_to_their_end_when_claimed(
    persona, program, item, fake, rules, clock, django_capture_on_commit_callbacks
) -> None:
    # Planned at 22:20 by a stagger (as composes did before quiet hours were re-checked).
    clock.set(paris(14, 21, 50))
    [(person, account)] = colleagues(persona, program, 1)
    target = share(person, item, account)
    ShareTarget.objects.filter(pk=target.pk).update(
        status=TargetStatus.SCHEDULED, scheduled_at=paris(14, 22, 20)
    )
    clock.set(paris(14, 22, 20))
    assert _publish(target, django_capture_on_commit_callbacks) == "deferred"
    assert fake.posted == []
    assert target.status == TargetStatus.SCHEDULED
    assert local(target, PARIS) == paris(15, 7, 0)
    clock.set(paris(15, 7, 0))
    assert _publish(target, django_capture_on_commit_callbacks) == "published"


def test_a_retry_due_at_2330_is_not_published_before_the_end_of_quiet_hours(
    persona, program, item, fake, rules, clock, django_capture_on_commit_callbacks
) -> None:
    clock.set(paris(14, 21, 0))
    [(person, account)] = colleagues(persona, program, 1)
    target = share(person, item, account)
    fake.script = [Transient("the network is down")]
    assert _publish(target, django_capture_on_commit_callbacks) == "retry"
    # The back-off brought the retry to 23:30.
    ShareTarget.objects.filter(pk=target.pk).update(scheduled_at=paris(14, 23, 30))
    clock.set(paris(14, 23, 30))
    assert _publish(target, django_capture_on_commit_callbacks) == "deferred"
    assert fake.calls == ["publish"]  # only the first, failed call
    assert local(target, PARIS) == paris(15, 7, 0)


def test_quiet_hours_follow_the_person_s_time_zone_across_a_dst_change(
    persona, program, item, fake, rules, clock, django_capture_on_commit_callbacks
) -> None:
    # Paris springs forward in the night of 27 to 28 March 2027 (UTC+1 -> UTC+2).
    clock.set(paris(27, 21, 0, month=3))
    [(person, account)] = colleagues(persona, program, 1)
    target = share(person, item, account)
    ShareTarget.objects.filter(pk=target.pk).update(scheduled_at=paris(27, 23, 30, month=3))
    clock.set(paris(27, 23, 30, month=3))
    assert _publish(target, django_capture_on_commit_callbacks) == "deferred"
    assert local(target, PARIS) == paris(28, 7, 0, month=3)
    assert target.scheduled_at.utcoffset() is not None
    assert local(target, PARIS).utcoffset() == timedelta(hours=2)


def test_lifting_a_pause_at_2300_respaces_the_waiting_posts_after_quiet_hours(
    persona, program, item, fake, rules, clock, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE
    clock.set(paris(14, 20, 0))
    people = colleagues(persona, program, 4)
    targets = [
        share(person, item, account, message, when="schedule", at=paris(14, 21, 0))
        for (person, account), message in zip(people, MESSAGES, strict=False)
    ]
    actions.set_pause(as_actor(persona.admin), True, "Crise")
    clock.set(paris(14, 23, 0))
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_pause(as_actor(persona.admin), False)
    assert fake.posted == []
    for target in targets:
        target.refresh_from_db()
    assert {target.status for target in targets} == {TargetStatus.SCHEDULED}
    assert sorted(local(target, PARIS) for target in targets) == [
        paris(15, 7, 0),
        paris(15, 7, 10),
        paris(15, 7, 20),
        paris(15, 7, 30),
    ]


def test_lifting_a_pause_in_the_day_releases_the_waiting_posts_one_gap_apart(
    persona, program, item, fake, rules, clock, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE
    clock.set(paris(14, 8, 0))
    people = colleagues(persona, program, 3)
    targets = [
        share(person, item, account, message, when="schedule", at=paris(14, 9, 0))
        for (person, account), message in zip(people, MESSAGES, strict=False)
    ]
    actions.set_pause(as_actor(persona.admin), True, "Crise")
    clock.set(paris(14, 11, 0))
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_pause(as_actor(persona.admin), False)
    assert len(fake.posted) == 1  # one now, the others a gap apart
    for target in targets:
        target.refresh_from_db()
    assert sorted(local(target, PARIS) for target in targets) == [
        paris(14, 11, 0),
        paris(14, 11, 10),
        paris(14, 11, 20),
    ]


def test_two_colleagues_due_together_are_staggered_when_claimed(
    persona, program, item, fake, rules, clock, django_capture_on_commit_callbacks
) -> None:
    clock.set(paris(14, 9, 0))
    people = colleagues(persona, program, 2)
    first, second = (
        share(person, item, account, message, when="schedule", at=paris(14, 10, 0))
        for (person, account), message in zip(people, MESSAGES, strict=False)
    )
    # Both due at the same minute (a retry, a rate-limit reset, an old stagger).
    ShareTarget.objects.filter(pk__in=[first.pk, second.pk]).update(scheduled_at=paris(14, 10, 0))
    clock.set(paris(14, 10, 0))
    assert _publish(first, django_capture_on_commit_callbacks) == "published"
    assert _publish(second, django_capture_on_commit_callbacks) == "deferred"
    assert local(second, PARIS) == paris(14, 10, 10)


def test_a_colleague_claimed_seconds_before_the_gap_ends_waits_for_it(
    persona, program, item, fake, rules, clock, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    # A queue may run a deferred job a little early (RQ keeps whole seconds): the post
    # waits for the seconds left instead of going out inside the colleague's gap.
    clock.set(paris(14, 9, 0))
    people = colleagues(persona, program, 2)
    first, second = (
        share(person, item, account, message, when="schedule", at=paris(14, 10, 0))
        for (person, account), message in zip(people, MESSAGES, strict=False)
    )
    ShareTarget.objects.filter(pk__in=[first.pk, second.pk]).update(scheduled_at=paris(14, 10, 0))
    clock.set(paris(14, 10, 0))
    assert _publish(first, django_capture_on_commit_callbacks) == "published"
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        clock.set(clock.moment + timedelta(seconds=seconds))

    monkeypatch.setattr(publishing.time, "sleep", sleep)
    clock.set(paris(14, 10, 10) - timedelta(seconds=3))
    assert _publish(second, django_capture_on_commit_callbacks) == "published"
    assert waited == [3.0]
    first.refresh_from_db()
    assert second.scheduled_at - first.scheduled_at == timedelta(minutes=10)
    assert len(fake.posted) == 2


def test_the_daily_cap_holds_when_a_retry_lands_on_a_full_day(
    persona, program, item, fake, rules, clock, django_capture_on_commit_callbacks
) -> None:
    SharingSettings.objects.filter(pk=rules.pk).update(daily_cap=1, stagger_minutes=0)
    clock.set(paris(14, 9, 0))
    [(person, account)] = colleagues(persona, program, 1)
    today = share(person, item, account, MESSAGES[1], when="schedule", at=paris(15, 8, 0))
    retry = share(person, item, account, when="schedule", at=paris(14, 9, 30))
    # The back-off of yesterday's post pushed it onto a day that already has its one post.
    ShareTarget.objects.filter(pk=retry.pk).update(
        status=TargetStatus.QUEUED, scheduled_at=paris(15, 9, 0)
    )
    clock.set(paris(15, 8, 0))
    assert _publish(today, django_capture_on_commit_callbacks) == "published"
    clock.set(paris(15, 9, 0))
    assert _publish(retry, django_capture_on_commit_callbacks) == "deferred"
    assert local(retry, PARIS) == paris(16, 7, 0)
    assert len(fake.posted) == 1
