"""Sums per person over the dashboards' ranges (``PersonRangeStats``): written and read.

The people page and "My figures" need every member's totals over the last 30, 90 or 365
days; at 5,000 members sharing weekly that is up to a million daily rows a request. The
rollup keeps those totals, for the ranges ending today, in the transaction that writes
the daily rows: for the people whose days it recomputed, or for everyone when the day
has changed since (every range moved) or when many people changed. The pages read them
only when they are for today (``ranges_ready``), and the daily rows otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ambassade.analytics import selection as selected
from ambassade.analytics.models import (
    COUNTER_COLUMNS,
    DailyShareStats,
    PersonRangeStats,
    RollupState,
)
from ambassade.analytics.selection import RANGES, Selection
from ambassade.programs.models import Program

STATE = "daily_share_stats"  # the rollup's state row (rollup.STATE)
# Above this many people changed, one pass over everyone is cheaper than a pass per person.
FEW_PEOPLE = 500
KEYS = ("organisation_id", "program_id", "person_id", "network")


def _insert(today: date, days: int, people: list[int] | None) -> None:
    """Writes the sums of one range for these people (None: everyone) with one statement."""
    quote = connection.ops.quote_name
    where = f"{quote('day')} >= %s AND {quote('day')} <= %s AND {quote('person_id')} IS NOT NULL"
    params: list[Any] = [days, today, today - timedelta(days - 1), today]
    if people is not None:
        where += f" AND {quote('person_id')} IN ({', '.join(['%s'] * len(people))})"
        params += people
    keys = ", ".join(quote(key) for key in KEYS)
    sums = ", ".join(f"SUM({quote(name)})" for name in COUNTER_COLUMNS)
    columns = ", ".join(quote(name) for name in COUNTER_COLUMNS)
    # Names from the models' metadata only; every value is a parameter.
    statement = (
        f"INSERT INTO {quote(PersonRangeStats._meta.db_table)} "  # noqa: S608
        f"({keys}, {quote('days')}, {quote('as_of')}, {columns}) "
        f"SELECT {keys}, %s, %s, {sums} FROM {quote(DailyShareStats._meta.db_table)} "
        f"WHERE {where} GROUP BY {keys}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def refresh(today: date, changed_people: Iterable[int | None], changed_days: set[date]) -> None:
    """Brings the sums up to date after the daily rows of ``changed_days`` were replaced.

    Runs inside the rollup's transaction (its state row is locked by the caller).
    """
    state = RollupState.objects.get(name=STATE)
    oldest = today - timedelta(max(RANGES) - 1)
    people = sorted({pk for pk in changed_people if pk is not None})
    if state.person_ranges_on == today:
        if not any(oldest <= day <= today for day in changed_days) or not people:
            return  # nothing within the ranges changed
        if len(people) <= FEW_PEOPLE:
            PersonRangeStats.objects.filter(person_id__in=people).delete()
            for days in RANGES:
                _insert(today, days, people)
            return
    PersonRangeStats.objects.all().delete()
    for days in RANGES:
        _insert(today, days, None)
    RollupState.objects.filter(pk=state.pk).update(person_ranges_on=today)


def ranges_ready(today: date) -> bool:
    """Whether the sums are those of the ranges ending ``today``."""
    return RollupState.objects.filter(name=STATE, person_ranges_on=today).exists()


def per_person_rows(
    organisation_id: int, programs: list[int], days: int, today: date
) -> QuerySet[Any] | None:
    """The sums of these programs' members over the last ``days`` days, if kept; else None.

    Rows have the daily rows' columns (person, network, counters): callers filter and add
    them up exactly as they would the daily rows of the range.
    """
    if days not in RANGES or not ranges_ready(today):
        return None
    return PersonRangeStats.objects.filter(
        organisation_id=organisation_id, program_id__in=programs, days=days, as_of=today
    )


def program_rows(program: Program, selection: Selection, today: date) -> QuerySet[Any]:
    """The rows to add up per person for the selection's range: the kept sums when they
    fit the selection (a channel filter needs the daily rows' items), else the daily rows."""
    kept = None
    if selection.channel is None:
        kept = per_person_rows(program.organisation_id, [program.pk], selection.days, today)
    if kept is None:
        return selected.rows(program, selection).filter(day__range=(selection.start(today), today))
    if selection.network:
        kept = kept.filter(network=selection.network)
    if selection.narrows_people:
        kept = kept.filter(person_id__in=selected.members(program, selection).values("person_id"))
    return kept
