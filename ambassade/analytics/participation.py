"""Who took part: the participation rate's counts (enrolled members who shared at least
once in a period, against those members), for the dashboards and for other apps comparing
periods (a challenge's before, during and after)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

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
    """(active, enrolled) for each period.

    Enrolled: the selection's members enrolled at some time in the period (see
    ``selection.enrolled_during``). Active: those of them with at least one share of
    the program's content in the period. Sharers who were not members then (a colleague
    sharing a program's item from the feed, someone enrolled later) are in neither count.
    One query, whatever the number of periods.
    """
    if not periods:
        return []
    shared = rows.filter(
        Q(shares_published__gt=0) | Q(shares_declared__gt=0), person_id=OuterRef("person_id")
    )
    # Per member, "any share in the period" is one seek in the index of sharers by person
    # and day: a few thousand seeks, where counting distinct sharers read every share row
    # of the periods (hundreds of thousands at 5,000 people sharing weekly). One query.
    # One enrolment per person and program (a unique constraint): rows are people.
    counts = selected.members(program, selection).aggregate(
        **{
            f"e{n}": Count("pk", filter=selected.enrolled_between(*period))
            for n, period in enumerate(periods)
        },
        **{
            f"a{n}": Count(
                "pk",
                filter=selected.enrolled_between(*period)
                & Q(Exists(shared.filter(day__range=period))),
            )
            for n, period in enumerate(periods)
        },
    )
    return [(counts[f"a{n}"] or 0, counts[f"e{n}"] or 0) for n in range(len(periods))]


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
