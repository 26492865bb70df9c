"""Sums per department and day (``DailyDepartmentStats``): written by the rollup, read by
the program page filtered by one department.

The filter counts a member's figures under the department they are in now (see
``selection.members``), so the sums must follow people: the rollup adds up the days it
recomputed with today's departments (``recompute_days``), then compares every member's
department with the one their rows were counted under (``CountedDepartment``) and adds up
again, over every day, the departments of anyone who moved, joined or left a program
(``follow_people``). Both run in the rollup's transaction, so pages never see a mix.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ambassade.analytics.models import (
    COUNTER_COLUMNS,
    CountedDepartment,
    DailyDepartmentStats,
    DailyShareStats,
    RollupState,
)
from ambassade.analytics.selection import Selection
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program

STATE = "daily_share_stats"  # the rollup's state row (rollup.STATE)
# Above this many departments to add up again, one pass over everything is cheaper.
FEW_DEPARTMENTS = 20
Membership = dict[tuple[int, int], int]  # (program, person) -> department


def memberships() -> Membership:
    """Every program member's department now (enrolments of any status: the filter counts
    everyone ever enrolled)."""
    departments = dict(
        Person.objects.filter(department__isnull=False).values_list("pk", "department_id")
    )
    return {
        (program_id, person_id): departments[person_id]
        for program_id, person_id in Enrolment.objects.values_list("program_id", "person_id")
        if person_id in departments
    }


def _insert(where: str, params: list[Any]) -> None:
    """Adds up the daily rows of program members per current department, under ``where``."""
    quote = connection.ops.quote_name
    keys = ("organisation_id", "program_id", "department_id", "day", "network")
    sources = ("d.organisation_id", "d.program_id", "p.department_id", "d.day", "d.network")
    sums = ", ".join(f"SUM(d.{quote(name)})" for name in COUNTER_COLUMNS)
    # Names from the models' metadata only; every value is a parameter.
    statement = (
        f"INSERT INTO {quote(DailyDepartmentStats._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(k) for k in keys)}, {', '.join(quote(n) for n in COUNTER_COLUMNS)}) "
        f"SELECT {', '.join(sources)}, {sums} "
        f"FROM {quote(DailyShareStats._meta.db_table)} d "
        f"INNER JOIN {quote(Enrolment._meta.db_table)} e "
        "ON e.program_id = d.program_id AND e.person_id = d.person_id "
        f"INNER JOIN {quote(Person._meta.db_table)} p ON p.id = d.person_id "
        f"WHERE p.department_id IS NOT NULL AND {where} "
        f"GROUP BY {', '.join(sources)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def recompute_days(days: set[date]) -> None:
    """Replaces the sums of these days, after their daily rows were replaced."""
    if not ready():
        return  # the first ``follow_people`` adds up every day
    DailyDepartmentStats.objects.filter(day__in=days).delete()
    ordered = sorted(days)
    _insert(f"d.day IN ({', '.join(['%s'] * len(ordered))})", list(ordered))


def follow_people(now: Membership) -> None:
    """Adds up again the departments of members whose department is not the one their
    rows were counted under. ``now``: the memberships read before the run wrote anything,
    so that a move committed during the run differs from what is remembered and is taken
    in by the next run.

    Runs inside the rollup's transaction (its state row is locked by the caller).
    """
    counted: Membership = {
        (program_id, person_id): department_id
        for program_id, person_id, department_id in CountedDepartment.objects.values_list(
            "program_id", "person_id", "department_id"
        )
    }
    changed = [key for key in counted.keys() | now.keys() if counted.get(key) != now.get(key)]
    affected: set[tuple[int, int]] = set()
    for key in changed:
        for department in (counted.get(key), now.get(key)):
            if department is not None:
                affected.add((key[0], department))
    if not ready() or len(affected) > FEW_DEPARTMENTS:
        refill(now)
        return
    people = connection.ops.quote_name(Person._meta.db_table)
    for program_id, department in sorted(affected):
        DailyDepartmentStats.objects.filter(
            program_id=program_id, department_id=department
        ).delete()
        # Through the members' ids: the index by person, not every row of the program.
        _insert(
            # The people table's name from its model's metadata; values are parameters.
            f"d.program_id = %s AND p.department_id = %s AND d.person_id IN (SELECT id FROM {people} WHERE department_id = %s)",  # noqa: S608, E501
            [program_id, department, department],
        )
    for program_id, person_id in changed:
        CountedDepartment.objects.filter(program_id=program_id, person_id=person_id).delete()
    _remember([key for key in changed if key in now], now)


def refill(now: Membership | None = None) -> None:
    """Adds up everything again: the first run, a large reorganisation, or daily rows
    written by other means than the rollup (the benchmark's synthetic rows)."""
    now = memberships() if now is None else now
    DailyDepartmentStats.objects.all().delete()
    _insert("1 = 1", [])
    CountedDepartment.objects.all().delete()
    _remember(list(now), now)
    RollupState.objects.filter(name=STATE).update(departments_ready=True)


def _remember(keys: list[tuple[int, int]], now: Membership) -> None:
    CountedDepartment.objects.bulk_create(
        [
            CountedDepartment(program_id=key[0], person_id=key[1], department_id=now[key])
            for key in keys
        ],
        batch_size=500,
    )


def ready() -> bool:
    return RollupState.objects.filter(name=STATE, departments_ready=True).exists()


def day_rows(program: Program, selection: Selection) -> QuerySet[Any] | None:
    """The sums to add up per day and network for a selection filtered by one department
    and nothing else on people or channels; None when they do not fit (or are not made
    yet): the caller reads the daily rows."""
    department = selection.department
    others = (selection.site, selection.ambassador_type, selection.channel)
    if department is None or any(other is not None for other in others) or not ready():
        return None
    found = DailyDepartmentStats.objects.filter(
        organisation_id=program.organisation_id, program=program, department_id=department
    )
    if selection.network:
        found = found.filter(network=selection.network)
    return found
