"""Requests racing for the last item, or for the last points, as several web processes
would send them: the reward's row and the person's profile row are locked, so exactly
one request wins and the ledger never goes below zero."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ambassade.conftest import need_service
from ambassade.core.authz import actor_for_person
from ambassade.recognition import ledger, rewards
from ambassade.recognition.models import LedgerEntry, Reward, RewardRequest
from ambassade.recognition.tests.rewards_helpers import a_reward, ambassadors
from ambassade.testing.concurrency import errors_in, sqlite_in_a_file, together


def _in_thread(job: Callable[[], Any]) -> Any:
    """Reads through a fresh connection (the one the racing threads used)."""
    [result] = together([job])
    if isinstance(result, Exception):
        raise result
    return result


def _request(person: Any, reward: Reward) -> RewardRequest:
    return rewards.request_reward(actor_for_person(person), reward)


def _split(outcomes: list[Any]) -> tuple[list[RewardRequest], list[ValidationError]]:
    unexpected = [o for o in outcomes if not isinstance(o, RewardRequest | ValidationError)]
    assert not unexpected, errors_in(unexpected) or unexpected
    won = [o for o in outcomes if isinstance(o, RewardRequest)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    return won, refused


def _twelve_people_race_for_the_last_item(
    persona: Any, program: Any, around: Callable[[], AbstractContextManager[None]] = nullcontext
) -> None:
    people = ambassadors(persona, program, 12, points=100)
    reward = a_reward(persona.organisation, cost=60, stock=1)
    with around():
        outcomes = together([partial(_request, person, reward) for person in people])
        stock, requests, spendable = _in_thread(
            lambda: (
                Reward.objects.get(pk=reward.pk).stock,
                list(RewardRequest.objects.values_list("person_id", flat=True)),
                {person.pk: ledger.balances(person).spendable for person in people},
            )
        )
    won, refused = _split(outcomes)
    assert len(won) == 1 and len(refused) == 11, outcomes
    assert all(error.messages == ["No more of this reward is available."] for error in refused)
    assert stock == 0
    assert requests == [won[0].person_id]
    assert spendable == {p.pk: 40 if p.pk == won[0].person_id else 100 for p in people}


def _one_person_requests_two_rewards_from_eight_threads(
    persona: Any, program: Any, around: Callable[[], AbstractContextManager[None]] = nullcontext
) -> None:
    [person] = ambassadors(persona, program, 1, points=50)
    mug = a_reward(persona.organisation, cost=50, stock=5)
    cap = a_reward(persona.organisation, cost=50, stock=5)
    jobs = [partial(_request, person, mug if n % 2 else cap) for n in range(8)]
    with around():
        outcomes = together(jobs)
        balance, stocks, spends = _in_thread(
            lambda: (
                ledger.balances(person),
                sorted(Reward.objects.values_list("stock", flat=True)),
                LedgerEntry.objects.filter(person=person, reason="reward").count(),
            )
        )
    won, refused = _split(outcomes)
    assert len(won) == 1 and len(refused) == 7, outcomes
    assert all(
        error.messages == ["This costs 50 points and you have 0 to spend."] for error in refused
    )
    assert balance == ledger.Balances(50, 0)
    assert stocks == [4, 5]
    assert spends == 1


def _a_request_cancelled_twice_at_once(
    persona: Any, program: Any, around: Callable[[], AbstractContextManager[None]] = nullcontext
) -> None:
    [person] = ambassadors(persona, program, 1, points=50)
    reward = a_reward(persona.organisation, cost=50, stock=1)
    request = _request(person, reward)
    jobs = [
        partial(rewards.cancel, actor_for_person(person), request),
        partial(rewards.cancel, actor_for_person(persona.hr), request),
    ]
    with around():
        outcomes = together(jobs)
        stock, returned, spendable = _in_thread(
            lambda: (
                Reward.objects.get(pk=reward.pk).stock,
                LedgerEntry.objects.filter(person=person, reason="reward_returned").count(),
                ledger.balances(person).spendable,
            )
        )
    won, refused = _split(outcomes)
    assert len(won) == 1 and len(refused) == 1, outcomes
    assert refused[0].messages == ["This request is already cancelled: its points were returned."]
    assert (stock, returned, spendable) == (1, 1, 50)


@pytest.fixture
def on_postgres(transactional_db: None) -> None:
    need_service(connection.vendor == "postgresql", "the race tests need PostgreSQL")


@pytest.mark.postgres
def test_twelve_people_race_for_the_last_item_postgres(on_postgres, persona, program) -> None:
    _twelve_people_race_for_the_last_item(persona, program)


@pytest.mark.postgres
def test_one_person_s_points_are_spent_once_postgres(on_postgres, persona, program) -> None:
    _one_person_requests_two_rewards_from_eight_threads(persona, program)


@pytest.mark.postgres
def test_a_request_cancelled_twice_at_once_returns_once_postgres(
    on_postgres, persona, program
) -> None:
    _a_request_cancelled_twice_at_once(persona, program)


@pytest.fixture
def sqlite_file(transactional_db, tmp_path) -> Callable[[], AbstractContextManager[None]]:
    """The test database in a file for a while (testing/concurrency.py)."""
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL variant covers this database")
    return lambda: sqlite_in_a_file(tmp_path)


def test_twelve_people_race_for_the_last_item_sqlite(sqlite_file, persona, program) -> None:
    _twelve_people_race_for_the_last_item(persona, program, around=sqlite_file)


def test_one_person_s_points_are_spent_once_sqlite(sqlite_file, persona, program) -> None:
    _one_person_requests_two_rewards_from_eight_threads(persona, program, around=sqlite_file)


def test_a_request_cancelled_twice_at_once_returns_once_sqlite(
    sqlite_file, persona, program
) -> None:
    _a_request_cancelled_twice_at_once(persona, program, around=sqlite_file)
