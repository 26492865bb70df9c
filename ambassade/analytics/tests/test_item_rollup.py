"""The sums per item (``DailyItemStats``) and per program (``DailyProgramStats``) against
the daily rows and against direct counts, after random inserts, late clicks through the
real ingestion, periodic runs and a rebuild."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Sum

from ambassade.analytics import rollup
from ambassade.analytics.figures import COUNTERS
from ambassade.analytics.models import DailyItemStats, DailyProgramStats, DailyShareStats
from ambassade.analytics.tests.conftest import account, make_item, member, share, today
from ambassade.analytics.tests.test_late_changes import late_clicks
from ambassade.analytics.tests.test_rollup import direct, random_data
from ambassade.programs.models import Program

pytestmark = pytest.mark.django_db

KEYS = ("organisation_id", "day", "program_id", "item_id", "network")
NAMES = (*COUNTERS, "conversion_value")


def grouped(model: Any) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    rows = model.objects.values(*KEYS).annotate(**{f"s_{n}": Sum(n) for n in NAMES}).order_by()
    return {tuple(row[k] for k in KEYS): tuple(row[f"s_{n}"] for n in NAMES) for row in rows}


def item_totals(program: Program) -> dict[str, Any]:
    sums = DailyItemStats.objects.filter(program=program).aggregate(**{n: Sum(n) for n in NAMES})
    return {name: sums[name] or 0 for name in direct(program)}


def per_program(model: Any) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    keys = [key for key in KEYS if key != "item_id"]
    rows = model.objects.values(*keys).annotate(**{f"s_{n}": Sum(n) for n in NAMES}).order_by()
    return {tuple(row[k] for k in keys): tuple(row[f"s_{n}"] for n in NAMES) for row in rows}


def assert_consistent(programs: list[Program]) -> None:
    assert grouped(DailyItemStats) == grouped(DailyShareStats)
    # One row per key: the pages add them up without a GROUP BY on people.
    assert DailyItemStats.objects.count() == len(grouped(DailyItemStats))
    # The sums per program: the daily rows summed over people and items, one row per key.
    assert per_program(DailyProgramStats) == per_program(DailyShareStats)
    assert DailyProgramStats.objects.count() == len(per_program(DailyProgramStats))
    for program in programs:
        assert item_totals(program) == direct(program)
        sums = DailyProgramStats.objects.filter(program=program).aggregate(
            **{n: Sum(n) for n in NAMES}
        )
        assert {name: sums[name] or 0 for name in direct(program)} == direct(program)


@pytest.mark.parametrize("seed", [3, 4])
def test_item_sums_match_after_inserts_late_clicks_and_rebuild(persona, seed) -> None:
    rng = random.Random(seed)
    programs = [
        Program.objects.create(organisation=persona.organisation, name=f"P{n}") for n in range(2)
    ]
    people = [member(programs[n % 2]) for n in range(6)]
    random_data(rng, programs, people, 50)
    rollup.rebuild()
    assert DailyItemStats.objects.exists()
    assert_consistent(programs)

    # New shares, and clicks arriving late on days already rolled up, through the ingestion.
    random_data(rng, programs, people, 20)
    late_clicks(rng, oldest_days=30)
    rollup.update()
    assert_consistent(programs)

    before = grouped(DailyItemStats)
    rollup.rebuild()
    assert grouped(DailyItemStats) == before
    assert_consistent(programs)


def test_a_partial_rebuild_keeps_the_older_sums(persona, program) -> None:
    item = make_item(program)
    person = member(program)
    old = share(person, item, today() - timedelta(days=30), social=account(person, 5))
    share(person, item, today() - timedelta(days=2), social=account(person, 5))
    rollup.rebuild()
    rollup.rebuild(since=today() - timedelta(days=5))
    assert DailyItemStats.objects.filter(day=old.published_at.date()).exists()
    assert item_totals(program)["shares_published"] == 2
    assert_consistent([program])
