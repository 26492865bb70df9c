"""The rollup finds every change to past days: clicks of a batch that commits after a run
has seen later ones, conversions dated in the past, however late they commit."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.db.models import Sum

from ambassade.analytics import rollup
from ambassade.analytics.models import DailyShareStats
from ambassade.analytics.tests.conftest import at, link_for, member, share, today
from ambassade.tracking import actions, ingest
from ambassade.tracking.models import ChangedDay, TrackedLink
from ambassade.tracking.tests.conftest import BROWSER

DAYS_AGO = 5


def rolled(day, field: str) -> int:
    return DailyShareStats.objects.filter(day=day).aggregate(n=Sum(field))["n"] or 0


def clicks_of(link, day, count: int) -> list[dict]:
    moment = at(day).timestamp()
    return [
        {
            "i": uuid.uuid4().hex,
            "k": "c",
            "t": moment + n,
            "l": link.pk,
            "c": link.code,
            "v": f"{link.pk:016x}{n:016x}",
            "ua": BROWSER,
        }
        for n in range(count)
    ]


def late_clicks(rng, *, oldest_days: int) -> int:
    """Clicks on five random links, 3 to ``oldest_days`` days ago (days the rollup has
    already summed), stored through the ingestion; returns how many."""
    links = list(TrackedLink.objects.order_by("pk"))
    events = []
    for link in rng.sample(links, min(5, len(links))):
        day = today() - timedelta(days=rng.randint(3, oldest_days))
        events += clicks_of(link, day, rng.randint(1, 4))
    assert ingest.store(events) == len(events)
    return len(events)


def committed_late(write) -> tuple[threading.Thread, threading.Event, list[BaseException]]:
    """Runs ``write`` in a transaction of its own that stays open until told to commit."""
    written, commit = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with transaction.atomic():
                write()
                written.set()
                assert commit.wait(timeout=60)
        except BaseException as error:
            errors.append(error)
        finally:
            written.set()
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    assert written.wait(timeout=60)
    return thread, commit, errors


def two_links(program, item):
    first, second = member(program), member(program)
    day = today() - timedelta(days=DAYS_AGO)
    return day, [link_for(share(person, item, day)) for person in (first, second)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_clicks_of_a_batch_that_commits_late_reach_the_past_day(persona, program, item) -> None:
    day, (late_link, link) = two_links(program, item)
    rollup.update()  # the first run
    # A batch stores 50 clicks of five days ago (the lower ids) and takes its time...
    thread, commit, errors = committed_late(lambda: ingest.store(clicks_of(late_link, day, 50)))
    # ...while another batch of that day commits, and a run sees its (higher) ids.
    with transaction.atomic():
        ingest.store(clicks_of(link, day, 3))
    rollup.update()
    assert rolled(day, "human_clicks") == 3
    commit.set()
    thread.join(timeout=60)
    assert not errors
    rollup.update()
    assert rolled(day, "human_clicks") == 53
    assert rolled(day, "unique_visitors") == 53
    assert not ChangedDay.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_conversion_dated_in_the_past_that_commits_late_is_counted(
    persona, program, item
) -> None:
    day, (late_link, link) = two_links(program, item)
    rollup.update()

    def report(target, key: str) -> None:
        actions.report_conversion(
            organisation=persona.organisation,
            reference=target.code,
            kind="application",
            idempotency_key=key,
            occurred_at=at(day, 9),
        )

    thread, commit, errors = committed_late(lambda: report(late_link, "late"))
    report(link, "on-time")
    rollup.update()
    assert rolled(day, "conversions") == 1
    commit.set()
    thread.join(timeout=60)
    assert not errors
    rollup.update()
    assert rolled(day, "conversions") == 2
    assert rolled(day, "applications") == 2


@pytest.mark.django_db
def test_a_conversion_reported_with_a_past_date_is_counted_by_the_next_run(
    persona, program, item
) -> None:
    day, (link, _other) = two_links(program, item)
    rollup.update()
    actions.report_conversion(
        organisation=persona.organisation,
        reference=link.code,
        kind="lead",
        idempotency_key="k1",
        occurred_at=at(day, 9),
    )
    assert list(ChangedDay.objects.values_list("day", flat=True)) == [day]
    rollup.update()
    assert rolled(day, "conversions") == 1
    assert not ChangedDay.objects.exists()
    # The same report again (a retry) changes nothing and announces nothing.
    actions.report_conversion(
        organisation=persona.organisation,
        reference=link.code,
        kind="lead",
        idempotency_key="k1",
        occurred_at=at(day, 9),
    )
    assert not ChangedDay.objects.exists()


@pytest.mark.django_db
def test_a_change_announced_while_a_run_computes_is_left_for_the_next(
    persona, program, item, monkeypatch
) -> None:
    day, (link, _other) = two_links(program, item)
    rollup.update()
    with transaction.atomic():
        ingest.store(clicks_of(link, day, 2))
    compute = rollup.compute

    def compute_then_more_arrive(days):
        rows = compute(days)
        if day in days:  # committed after the run read the change log
            with transaction.atomic():
                ingest.store(clicks_of(link, day, 4)[2:])
        return rows

    monkeypatch.setattr(rollup, "compute", compute_then_more_arrive)
    rollup.update()
    monkeypatch.setattr(rollup, "compute", compute)
    assert rolled(day, "human_clicks") == 2
    assert list(ChangedDay.objects.values_list("day", flat=True)) == [day]
    rollup.update()
    assert rolled(day, "human_clicks") == 4


@pytest.mark.django_db
def test_a_rebuild_since_a_date_leaves_earlier_changes_announced(persona, program, item) -> None:
    day, (link, _other) = two_links(program, item)
    rollup.update()
    with transaction.atomic():
        ingest.store(clicks_of(link, day, 1))
    rollup.rebuild(since=day + timedelta(days=1))
    assert list(ChangedDay.objects.values_list("day", flat=True)) == [day]
    rollup.update()
    assert rolled(day, "human_clicks") == 1
