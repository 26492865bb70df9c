"""Who took part: the participation rate's counts (enrolled members who shared at least
once in a period, against those members), for the dashboards and for other apps comparing
periods (a challenge's before, during and after)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from ambassade.analytics import selection as selected
from ambassade.analytics.models import DailyShareStats
from ambassade.analytics.selection import Selection
from ambassade.programs.models import Program


def rate(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0")
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


Period = tuple[date, date]


def active_counts(
    program: Program, selection: Selection, rows: QuerySet[DailyShareStats], periods: list[Period]
) -> list[tuple[int, int]]:
    """(active, enrolled) for each period, in one query each.

    Enrolled: the selection's members enrolled at some time in the period (see
    ``selection.enrolled_during``). Active: those of them with at least one share of
    the program's content in the period. Sharers who were not members then (a colleague
    sharing a program's item from the feed, someone enrolled later) are in neither count.
    Two queries, whatever the number of periods.
    """
    if not periods:
        return []
    shared = Q(shares_published__gt=0) | Q(shares_declared__gt=0)
    # The periods' span in the WHERE too, not only in each FILTER: otherwise the targets'
    # rates (read from rows of any day) count over the program's whole history.
    span = (min(start for start, _end in periods), max(end for _start, end in periods))
    populations = [
        selected.enrolled_during(program, selection, start, end).values("person_id")
        for start, end in periods
    ]
    counts = rows.filter(shared, person__isnull=False, day__range=span).aggregate(
        **{
            f"p{n}": Count(
                "person_id",
                distinct=True,
                filter=Q(day__range=period, person_id__in=populations[n]),
            )
            for n, period in enumerate(periods)
        }
    )
    # One enrolment per person and program (a unique constraint): rows are people.
    sizes = selected.members(program, selection).aggregate(
        **{
            f"p{n}": Count("pk", filter=selected.enrolled_between(*period))
            for n, period in enumerate(periods)
        }
    )
    return [(counts[f"p{n}"] or 0, sizes[f"p{n}"] or 0) for n in range(len(periods))]


@dataclass(frozen=True)
class Participation:
    start: date
    end: date
    active: int
    enrolled: int

    @property
    def rate(self) -> Decimal:
        return rate(self.active, self.enrolled)


def participation_over(
    program: Program, periods: list[Period], selection: Selection | None = None
) -> list[Participation]:
    """The participation rate of each period (days, both included), by the dashboard's
    definition: members enrolled at some time in the period who shared at least once,
    against those members. For other apps comparing periods (a challenge's before, during
    and after)."""
    selection = selection or Selection()
    counts = active_counts(program, selection, selected.rows(program, selection), periods)
    return [
        Participation(start, end, active, enrolled)
        for (start, end), (active, enrolled) in zip(periods, counts, strict=True)
    ]
