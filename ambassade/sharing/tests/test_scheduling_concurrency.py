"""Daily caps and the stagger hold when composes run at the same moment (several web
processes): the decision is taken under a per-person and per-item hold."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ambassade.core import events
from ambassade.core.models import DomainEvent, EventDelivery
from ambassade.sharing import publishing
from ambassade.sharing.models import ShareTarget, SharingSettings, TargetStatus
from ambassade.sharing.tests.colleagues import MESSAGES, colleagues, share
from ambassade.testing.concurrency import errors_in, sqlite_in_a_file, together


def _in_thread(job: Callable[[], Any]) -> Any:
    """Reads through a fresh connection (the one the composing threads used)."""
    [result] = together([job])
    if isinstance(result, Exception):
        raise result
    return result


def _six_composes_with_a_cap_of_one(
    persona: Any,
    program: Any,
    item: Any,
    around: Callable[[], AbstractContextManager[None]] = nullcontext,
) -> None:
    SharingSettings.objects.create(
        organisation=persona.organisation,
        quiet_start=None,
        quiet_end=None,
        daily_cap=1,
        stagger_minutes=0,
    )
    [(person, account)] = colleagues(persona, program, 1)
    with around():
        results = together([partial(share, person, item, account, message) for message in MESSAGES])
        stored = _in_thread(ShareTarget.objects.filter(account=account).count)
    accepted = [result for result in results if isinstance(result, ShareTarget)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    unexpected = [r for r in results if not isinstance(r, ShareTarget | ValidationError)]
    assert not unexpected, errors_in(unexpected) or unexpected
    assert len(accepted) == 1, results
    assert len(refused) == 5, results
    assert all("limit" in str(error) for error in refused)
    assert stored == 1


def _four_colleagues_share_one_item_at_once(
    persona: Any,
    program: Any,
    item: Any,
    around: Callable[[], AbstractContextManager[None]] = nullcontext,
) -> None:
    SharingSettings.objects.create(
        organisation=persona.organisation, quiet_start=None, quiet_end=None, stagger_minutes=10
    )
    people = colleagues(persona, program, 4)
    with around():
        results = together(
            [
                partial(share, person, item, account, message)
                for (person, account), message in zip(people, MESSAGES, strict=False)
            ]
        )
        moments = sorted(
            _in_thread(
                lambda: list(
                    ShareTarget.objects.filter(share__item=item).values_list(
                        "scheduled_at", flat=True
                    )
                )
            )
        )
    assert not errors_in(results), errors_in(results)
    assert all(isinstance(result, ShareTarget) for result in results), results
    first = moments[0]
    assert [moment - first for moment in moments] == [timedelta(minutes=m) for m in (0, 10, 20, 30)]


@pytest.mark.postgres
def test_six_simultaneous_composes_with_a_cap_of_one_accept_one_postgres(
    transactional_db, persona, program, item, fake
) -> None:
    _six_composes_with_a_cap_of_one(persona, program, item)


@pytest.mark.postgres
def test_four_colleagues_at_once_are_staggered_postgres(
    transactional_db, persona, program, item, fake
) -> None:
    _four_colleagues_share_one_item_at_once(persona, program, item)


@pytest.fixture
def sqlite_file(transactional_db, tmp_path) -> Callable[[], AbstractContextManager[None]]:
    """The test database in a file for a while (testing/concurrency.py)."""
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL variant covers this database")
    return lambda: sqlite_in_a_file(tmp_path)


def test_six_simultaneous_composes_with_a_cap_of_one_accept_one_sqlite(
    sqlite_file, persona, program, item, fake
) -> None:
    _six_composes_with_a_cap_of_one(persona, program, item, around=sqlite_file)


def test_four_colleagues_at_once_are_staggered_sqlite(
    sqlite_file, persona, program, item, fake
) -> None:
    _four_colleagues_share_one_item_at_once(persona, program, item, around=sqlite_file)


def _two_due_posts_claimed_at_once(
    persona: Any,
    program: Any,
    item: Any,
    fake: Any,
    around: Callable[[], AbstractContextManager[None]] = nullcontext,
) -> None:
    SharingSettings.objects.create(
        organisation=persona.organisation, quiet_start=None, quiet_end=None, stagger_minutes=10
    )
    people = colleagues(persona, program, 2)
    later = timezone.now() + timedelta(hours=1)
    targets = [
        share(person, item, account, message, when="schedule", at=later)
        for (person, account), message in zip(people, MESSAGES, strict=False)
    ]
    # Both due at the same moment (a rate-limit reset, a resumed pause, an old stagger).
    due = timezone.now()
    ShareTarget.objects.filter(pk__in=[t.pk for t in targets]).update(scheduled_at=due)
    with around():
        outcomes = together([partial(publishing.publish, target.pk) for target in targets])
        deferred, published = _in_thread(
            lambda: [
                ShareTarget.objects.get(status=TargetStatus.SCHEDULED),
                ShareTarget.objects.get(status=TargetStatus.PUBLISHED),
            ]
        )
    assert not errors_in(outcomes), errors_in(outcomes)
    assert sorted(outcomes) == ["deferred", "published"], outcomes
    assert len(fake.posted) == 1
    assert deferred.scheduled_at == published.scheduled_at + timedelta(minutes=10)


def test_two_colleagues_claimed_at_once_are_still_a_gap_apart_sqlite(
    sqlite_file, persona, program, item, fake
) -> None:
    _two_due_posts_claimed_at_once(persona, program, item, fake, around=sqlite_file)


@pytest.mark.postgres
def test_two_colleagues_claimed_at_once_are_still_a_gap_apart_postgres(
    transactional_db, persona, program, item, fake
) -> None:
    _two_due_posts_claimed_at_once(persona, program, item, fake)


@pytest.mark.postgres
def test_two_workers_delivering_one_event_run_its_subscriber_once_postgres(
    transactional_db, persona
) -> None:
    calls: list[int] = []

    def slow_subscriber(event: DomainEvent) -> None:
        calls.append(event.pk)
        time.sleep(0.5)  # the second worker arrives while the first is inside

    events.subscribe("content.item_archived")(slow_subscriber)
    try:
        with transaction.atomic():
            events.record("content.item_archived", persona.organisation, item_id=1)
        delivery = EventDelivery.objects.get(subscriber=events.subscriber_key(slow_subscriber))
        outcomes = together([partial(events.deliver, delivery.pk)] * 2)
    finally:
        events._SUBSCRIBERS["content.item_archived"].pop(events.subscriber_key(slow_subscriber))
    assert not errors_in(outcomes), errors_in(outcomes)
    assert sorted(outcomes) == ["delivered", "done already"]
    assert len(calls) == 1
