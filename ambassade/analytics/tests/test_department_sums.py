"""The sums per department and day (``DailyDepartmentStats``) against the daily rows of
each department's current members, after random inserts, late clicks through the
ingestion, people moving, joining and leaving, periodic runs and rebuilds; and the
program page filtered by a department gives the same figures from either."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Sum

from ambassade.analytics import department_sums, rollup
from ambassade.analytics.figures import program_figures
from ambassade.analytics.models import DailyDepartmentStats, RollupState
from ambassade.analytics.selection import Selection, members, rows
from ambassade.analytics.tests.conftest import make_item, member, share, today
from ambassade.analytics.tests.test_item_rollup import NAMES
from ambassade.analytics.tests.test_late_changes import late_clicks
from ambassade.analytics.tests.test_rollup import random_data
from ambassade.people.models import Department, Person
from ambassade.programs.models import Enrolment, Program
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

KEYS = ("organisation_id", "program_id", "day", "network")


def expected(programs: list[Program]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Each department's figures as the filter counts them: the daily rows of the
    program's members who are in that department now, summed directly."""
    found = {}
    for program in programs:
        for department in Department.objects.filter(organisation=program.organisation):
            selection = Selection(department=department.pk)
            sums = (
                rows(program, selection)
                .values(*KEYS)
                .annotate(**{f"s_{n}": Sum(n) for n in NAMES})
                .order_by()
            )
            for row in sums:
                key = (department.pk, *(row[k] for k in KEYS))
                found[key] = tuple(row[f"s_{n}"] for n in NAMES)
    return found


def kept() -> dict[tuple[Any, ...], tuple[Any, ...]]:
    found = {
        (row["department_id"], *(row[k] for k in KEYS)): tuple(row[n] for n in NAMES)
        for row in DailyDepartmentStats.objects.values("department_id", *KEYS, *NAMES)
    }
    assert len(found) == DailyDepartmentStats.objects.count()  # one row per key
    return found


def assert_consistent(programs: list[Program]) -> None:
    assert department_sums.ready()
    assert kept() == expected(programs)


def setup(seed: int, persona: Any) -> tuple[random.Random, list[Program], list[Any], list[Any]]:
    rng = random.Random(seed)
    org = persona.organisation
    programs = [Program.objects.create(organisation=org, name=f"P{n}") for n in range(2)]
    departments = [Department.objects.create(organisation=org, name=f"D{n}") for n in range(3)]
    people = [
        member(programs[n % 2], department=departments[n % 3] if n % 4 else None) for n in range(8)
    ]
    Enrolment.objects.create(  # one person in both programs
        program=programs[1],
        person=people[2],
        ambassador_type=Enrolment.objects.get(person=people[2]).ambassador_type,
        status=Enrolment.Status.ACTIVE,
    )
    return rng, programs, people, departments


@pytest.mark.parametrize(("seed", "few"), [(11, 20), (12, 20), (13, 0)])
def test_sums_follow_people_who_move_join_and_leave(persona, monkeypatch, seed, few):
    # few=0: every change adds up everything again (the path of a large reorganisation).
    monkeypatch.setattr(department_sums, "FEW_DEPARTMENTS", few)
    rng, programs, people, departments = setup(seed, persona)
    # A colleague who shares a program's item without being enrolled: counted nowhere.
    outsider: Any = PersonFactory(organisation=persona.organisation, department=departments[0])
    item = make_item(programs[0], "shared by a colleague")
    share(outsider, item, today() - timedelta(days=3))
    random_data(rng, programs, people, 40)
    rollup.rebuild()
    assert DailyDepartmentStats.objects.exists()
    assert_consistent(programs)

    # People move, lose their department, join a program (bringing their past shares)
    # and leave one; then late clicks arrive and the periodic run takes it all in.
    Person.objects.filter(pk=people[1].pk).update(department=departments[2])
    Person.objects.filter(pk=people[5].pk).update(department=None)
    Person.objects.filter(pk=people[4].pk).update(department=departments[1])
    Enrolment.objects.create(
        program=programs[0],
        person=outsider,
        ambassador_type=Enrolment.objects.filter(program=programs[0]).first().ambassador_type,
        status=Enrolment.Status.ACTIVE,
    )
    Enrolment.objects.filter(program=programs[1], person=people[2]).delete()
    random_data(rng, programs, people, 10)
    late_clicks(rng, oldest_days=60)
    rollup.update()
    assert_consistent(programs)

    # Nothing changed: a run changes nothing; rebuilds give the same sums.
    before = kept()
    rollup.update()
    assert kept() == before
    rollup.rebuild()
    assert kept() == before
    Person.objects.filter(pk=people[3].pk).update(department=departments[0])
    rollup.rebuild(since=today() - timedelta(days=5))
    assert_consistent(programs)


def test_a_move_during_a_run_is_taken_in_by_the_next_one(persona):
    rng, programs, people, departments = setup(14, persona)
    random_data(rng, programs, people, 30)
    rollup.rebuild()
    mover = next(p for p in people if p.department_id == departments[0].pk)
    # The memberships were read before the move committed; the sums saw the move.
    read_before = department_sums.memberships()
    Person.objects.filter(pk=mover.pk).update(department=departments[1])
    department_sums.follow_people(read_before)
    rollup.update()
    assert_consistent(programs)


def _figures(program: Program, department: Department) -> Any:
    figures = program_figures(program, Selection(days=30, department=department.pk), today())
    values = [(v.network, v.human_clicks, v.impressions, v.potential_reach) for v in figures.values]
    trend = [(row.start, row.end, row.figures) for row in figures.trend.rows]
    return trend, figures.totals, figures.previous, values, figures.active, figures.enrolled


def test_the_page_gives_the_same_figures_from_the_sums_and_from_the_daily_rows(persona):
    rng, programs, _people, departments = setup(15, persona)
    more = [member(programs[0], department=departments[1]) for _ in range(5)]
    # Enough people outside it: the program minus the department is not a small group.
    more += [member(programs[0], department=departments[2]) for _ in range(5)]
    random_data(rng, programs, more, 60)
    rollup.rebuild()
    assert department_sums.ready()
    assert (
        department_sums.day_rows(programs[0], Selection(department=departments[1].pk)) is not None
    )
    from_sums = _figures(programs[0], departments[1])
    assert from_sums[1]["shares"] > 0 and from_sums[3]
    RollupState.objects.filter(name=rollup.STATE).update(departments_ready=False)
    assert department_sums.day_rows(programs[0], Selection(department=departments[1].pk)) is None
    assert _figures(programs[0], departments[1]) == from_sums
    assert members(programs[0], Selection(department=departments[1].pk)).count() == 5
