"""The sums per person over the dashboards' ranges (``PersonRangeStats``) against the
daily rows, after random inserts, late clicks through the ingestion, periodic runs, a
rebuild and a change of day; and the pages give the same figures from either."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Sum

from ambassade.analytics import person_ranges, rollup
from ambassade.analytics.models import DailyShareStats, PersonRangeStats, RollupState
from ambassade.analytics.my_figures import my_figures
from ambassade.analytics.people_groups import people
from ambassade.analytics.selection import RANGES, Selection
from ambassade.analytics.tests.conftest import member, today
from ambassade.analytics.tests.test_item_rollup import NAMES
from ambassade.analytics.tests.test_late_changes import late_clicks
from ambassade.analytics.tests.test_rollup import random_data
from ambassade.programs.models import Program

pytestmark = pytest.mark.django_db

KEYS = ("organisation_id", "program_id", "person_id", "network")


def expected() -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """The daily rows of people summed directly over each range ending today."""
    found = {}
    for days in RANGES:
        rows = (
            DailyShareStats.objects.filter(
                person__isnull=False, day__range=(today() - timedelta(days - 1), today())
            )
            .values(*KEYS)
            .annotate(**{f"s_{n}": Sum(n) for n in NAMES})
            .order_by()
        )
        for row in rows:
            found[(days, *(row[k] for k in KEYS))] = tuple(row[f"s_{n}"] for n in NAMES)
    return found


def kept() -> dict[tuple[Any, ...], tuple[Any, ...]]:
    rows = PersonRangeStats.objects.values("days", *KEYS, *NAMES)
    found = {(row["days"], *(row[k] for k in KEYS)): tuple(row[n] for n in NAMES) for row in rows}
    assert len(found) == len(rows)  # one row per person, network, program and range
    assert set(PersonRangeStats.objects.values_list("as_of", flat=True)) <= {today()}
    return found


def assert_consistent() -> None:
    assert person_ranges.ranges_ready(today())
    assert kept() == expected()


def setup(seed: int, persona: Any) -> tuple[random.Random, list[Program], list[Any]]:
    rng = random.Random(seed)
    programs = [
        Program.objects.create(organisation=persona.organisation, name=f"P{n}") for n in range(2)
    ]
    members = [member(programs[n % 2]) for n in range(6)]
    return rng, programs, members


@pytest.mark.parametrize(("seed", "few"), [(3, 500), (4, 500), (5, 0)])
def test_sums_match_after_inserts_late_clicks_and_rebuild(persona, monkeypatch, seed, few):
    # few=0: every change refreshes everyone (the path of a busy program).
    monkeypatch.setattr(person_ranges, "FEW_PEOPLE", few)
    rng, programs, members = setup(seed, persona)
    random_data(rng, programs, members, 40)
    rollup.rebuild()
    assert PersonRangeStats.objects.exists()
    assert_consistent()

    random_data(rng, programs, members, 15)
    late_clicks(rng, oldest_days=60)
    rollup.update()
    assert_consistent()

    before = kept()
    rollup.rebuild()
    assert kept() == before
    rollup.rebuild(since=today() - timedelta(days=5))
    assert_consistent()


def test_a_new_day_reads_the_daily_rows_until_the_rollup_moves_every_range(persona):
    rng, programs, members = setup(6, persona)
    random_data(rng, programs, members, 30)
    rollup.rebuild()
    # As if these sums were written yesterday: every range has moved since.
    RollupState.objects.filter(name=rollup.STATE).update(person_ranges_on=today() - timedelta(1))
    PersonRangeStats.objects.update(as_of=today() - timedelta(1), likes=999_999)
    assert not person_ranges.ranges_ready(today())
    assert (
        person_ranges.per_person_rows(persona.organisation.pk, [programs[0].pk], 90, today())
        is None
    )
    rollup.update()
    assert_consistent()


def _pages(program: Program, ambassador: Any) -> Any:
    tables = {}
    for selection in (Selection(days=30), Selection(days=365), Selection(network="facebook")):
        breakdown = people(program, selection, today())
        tables[selection] = [(t.key, t.rows) for t in breakdown.tables]
    mine = my_figures(ambassador, Selection(days=90), today())
    comparisons = [(c.program.pk, c.people, c.mine, c.median) for c in mine.comparisons]
    return tables, comparisons


def test_pages_give_the_same_figures_from_the_sums_and_from_the_daily_rows(persona):
    rng, programs, members = setup(7, persona)
    more = [member(programs[0]) for _ in range(4)]  # enough members for a median
    random_data(rng, programs, members + more, 60)
    rollup.rebuild()
    assert person_ranges.ranges_ready(today())
    from_sums = _pages(programs[0], members[0])
    assert any(rows for _key, rows in from_sums[0][Selection(days=30)])
    RollupState.objects.filter(name=rollup.STATE).update(person_ranges_on=None)
    assert not person_ranges.ranges_ready(today())
    assert _pages(programs[0], members[0]) == from_sums
