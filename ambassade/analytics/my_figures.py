"""The ambassador's own figures: trend, best posts, and their programs' median."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Sum

from ambassade.analytics import person_ranges
from ambassade.analytics.breakdowns import raw_rows
from ambassade.analytics.figures import (
    EMPTY,
    FIGURES,
    MEDIAN_MINIMUM,
    SUMS,
    Trend,
    daily_totals,
    trend_of,
)
from ambassade.analytics.models import DailyShareStats
from ambassade.analytics.selection import Selection
from ambassade.programs.models import Enrolment, Program


@dataclass
class BestPost:
    item_id: int
    title: str
    shares: int
    human_clicks: int
    engagement: int


@dataclass
class Comparison:
    program: Program
    people: int
    mine: dict[str, int]
    median: dict[str, float] | None  # None: too few people to compare without exposing them

    @property
    def rows(self) -> list[tuple[str, int, float | None]]:
        labels = {key: label for key, label, _anchor in FIGURES}
        return [
            (str(labels[name]), self.mine[name], self.median[name] if self.median else None)
            for name in COMPARED
        ]


@dataclass
class MyFigures:
    filters: Selection
    trend: Trend
    best: list[BestPost]
    comparisons: list[Comparison]


COMPARED = ("shares", "human_clicks", "potential_reach", "engagement")


def my_figures(person: Any, filters: Selection, today: date) -> MyFigures:
    """The person's own figures, and the median of each of their programs' members."""
    start = today - timedelta(filters.days - 1)
    mine = DailyShareStats.objects.filter(
        organisation_id=person.organisation_id, person=person, day__range=(start, today)
    )
    if filters.network:
        mine = mine.filter(network=filters.network)
    trend = trend_of(daily_totals(mine), today, filters.days)
    best_rows: list[dict[str, Any]] = [
        dict(row)
        for row in mine.filter(item__isnull=False)
        .values("item_id", "item__title")
        .annotate(**SUMS)
        .order_by("-human_clicks", "-likes", "item_id")[:5]
    ]
    best = [
        BestPost(
            item_id=row["item_id"],
            title=row["item__title"],
            shares=row["shares_published"] + row["shares_declared"],
            human_clicks=row["human_clicks"],
            engagement=row["likes"] + row["reposts"] + row["replies"],
        )
        for row in best_rows
    ]
    # Pairs, not model instances: a program of 5,000 members made 5,000 objects a request.
    pairs = Enrolment.objects.filter(
        program__organisation_id=person.organisation_id,
        status=Enrolment.Status.ACTIVE,
        program__in=Enrolment.objects.filter(person=person, status=Enrolment.Status.ACTIVE).values(
            "program"
        ),
    ).values_list("program_id", "person_id")
    members: dict[int, set[int]] = defaultdict(set)
    for program_id, member_id in pairs:
        members[program_id].add(member_id)
    programs: dict[int, Program] = {
        program.pk: program
        for program in Program.objects.filter(pk__in=list(members)).order_by("name", "pk")
    }
    per_person: dict[tuple[int, int], dict[str, int]] = {}
    if programs:
        # The members' sums over the range as the rollup keeps them (one row per member and
        # network), else their daily rows (a year of them is up to a million).
        rows = person_ranges.per_person_rows(
            person.organisation_id, list(programs), filters.days, today
        )
        if rows is None:
            rows = DailyShareStats.objects.filter(
                organisation_id=person.organisation_id,
                program__in=list(programs),
                person__isnull=False,
                day__range=(start, today),
            )
        if filters.network:
            rows = rows.filter(network=filters.network)
        # Only the compared figures, as the database returns them: at 5,000 members a year
        # of daily rows is a million, and converting twelve sums of every member through
        # the ORM cost as much as the query.
        compared = rows.values_list("program_id", "person_id").annotate(
            shares=Sum("shares_published") + Sum("shares_declared"),
            human_clicks=Sum("human_clicks"),
            potential_reach=Sum("potential_reach"),
            engagement=Sum("likes") + Sum("reposts") + Sum("replies"),
        )
        for program_id, person_id, *figures in raw_rows(compared.order_by()):
            per_person[(program_id, person_id)] = {
                name: int(figure or 0) for name, figure in zip(COMPARED, figures, strict=True)
            }
    comparisons = []
    for program_id, program in programs.items():
        people = members[program_id]
        own = per_person.get((program_id, person.pk), dict(EMPTY))
        median = None
        if len(people) >= MEDIAN_MINIMUM:
            median = {
                name: float(
                    statistics.median(
                        per_person.get((program_id, other), EMPTY)[name] for other in people
                    )
                )
                for name in COMPARED
            }
        comparisons.append(
            Comparison(
                program=program,
                people=len(people),
                mine={name: own[name] for name in COMPARED},
                median=median,
            )
        )
    return MyFigures(filters=filters, trend=trend, best=best, comparisons=comparisons)
