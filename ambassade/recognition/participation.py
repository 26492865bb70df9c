"""Whether a challenge moved more people or only the same few: the program's participation
rate before, during and after it, by the dashboards' definition (analytics/figures.py:
members enrolled at some time in the period who shared at least once, against those
members).

The three periods have the challenge's length: the days just before it, its own days (up
to today while it runs), and the days just after it (up to today; none before it ends).
When the challenge names exactly one department, the rates are that department's;
otherwise the whole program's (the dashboards filter by one department at a time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ambassade.analytics.participation import participation_over
from ambassade.analytics.selection import Selection
from ambassade.recognition.models import Challenge


@dataclass(frozen=True)
class PeriodRate:
    period: str  # "before", "during" or "after"
    start: date
    end: date
    active: int
    enrolled: int
    rate: Decimal


def around(challenge: Challenge, today: date) -> list[PeriodRate]:
    """The rates of the periods that have begun (none for a challenge not yet started)."""
    if challenge.starts_on > today:
        return []
    length = (challenge.ends_on - challenge.starts_on).days + 1
    periods = [
        (
            "before",
            challenge.starts_on - timedelta(days=length),
            challenge.starts_on - timedelta(1),
        ),
        ("during", challenge.starts_on, min(challenge.ends_on, today)),
    ]
    if challenge.ends_on < today:
        after = challenge.ends_on + timedelta(1)
        periods.append(("after", after, min(after + timedelta(days=length - 1), today)))
    departments = [department.pk for department in challenge.eligible_departments.all()]
    selection = Selection(department=departments[0]) if len(departments) == 1 else Selection()
    measured = participation_over(
        challenge.program, [(start, end) for _name, start, end in periods], selection
    )
    return [
        PeriodRate(name, one.start, one.end, one.active, one.enrolled, one.rate)
        for (name, _start, _end), one in zip(periods, measured, strict=True)
    ]
