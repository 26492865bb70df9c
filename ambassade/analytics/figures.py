"""The figures of the dashboards, computed once for the pages, the CSV and the API.

Everything here reads the daily rollup (``DailyShareStats``), never raw clicks or
shares; the only other reads are the program's KPI targets and its enrolment count.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ambassade.analytics.models import DailyShareStats
from ambassade.programs.models import Enrolment, Metric, Program

# Time ranges offered by the filters (days, ending today, UTC).
RANGES = (30, 90, 365)
DEFAULT_RANGE = 90
# Below this many enrolled people, no median is shown: it would expose colleagues.
MEDIAN_MINIMUM = 5

COUNTERS = (
    "shares_published",
    "shares_declared",
    "human_clicks",
    "unique_visitors",
    "potential_reach",
    "likes",
    "reposts",
    "replies",
    "conversions",
    "applications",
)
SUMS: dict[str, Any] = {name: Coalesce(Sum(name), 0) for name in COUNTERS}

# The figures of a trend table and of the totals, in display order, with their anchor
# on the "how we count" page.
FIGURES: list[tuple[str, Any, str]] = [
    ("shares", _("Shares"), "shares"),
    ("human_clicks", _("Human clicks"), "human-clicks"),
    ("unique_visitors", _("Unique visitors"), "unique-visitors"),
    ("potential_reach", _("Potential reach"), "potential-reach"),
    ("engagement", _("Engagement"), "engagement"),
    ("conversions", _("Conversions"), "conversions"),
]
METRIC_ANCHORS = {
    Metric.SHARES: "shares",
    Metric.HUMAN_CLICKS: "human-clicks",
    Metric.UNIQUE_VISITORS: "unique-visitors",
    Metric.POTENTIAL_REACH: "potential-reach",
    Metric.PARTICIPATION_RATE: "participation-rate",
    Metric.MONTHLY_ACTIVE_RATE: "monthly-active-rate",
    Metric.ENGAGEMENT: "engagement",
    Metric.APPLICATIONS: "applications",
    Metric.CONVERSIONS: "conversions",
}
RATES = {Metric.PARTICIPATION_RATE, Metric.MONTHLY_ACTIVE_RATE}


@dataclass(frozen=True)
class Filters:
    days: int = DEFAULT_RANGE
    network: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Filters:
        try:
            days = int(params.get("days") or DEFAULT_RANGE)
        except (TypeError, ValueError):
            days = DEFAULT_RANGE
        if days not in RANGES:
            days = DEFAULT_RANGE
        network = str(params.get("network") or "")[:32]
        return cls(days=days, network=network)


def derived(row: Mapping[str, Any]) -> dict[str, int]:
    """The displayed figures of one row of sums."""
    return {
        "shares": row["shares_published"] + row["shares_declared"],
        "shares_published": row["shares_published"],
        "shares_declared": row["shares_declared"],
        "human_clicks": row["human_clicks"],
        "unique_visitors": row["unique_visitors"],
        "potential_reach": row["potential_reach"],
        "engagement": row["likes"] + row["reposts"] + row["replies"],
        "likes": row["likes"],
        "reposts": row["reposts"],
        "replies": row["replies"],
        "conversions": row["conversions"],
        "applications": row["applications"],
    }


EMPTY = derived(dict.fromkeys(COUNTERS, 0))


def _add(total: dict[str, int], row: Mapping[str, int]) -> None:
    for name, value in row.items():
        total[name] = total.get(name, 0) + value


def _total(daily: Mapping[date, Mapping[str, int]], start: date, end: date) -> dict[str, int]:
    total = dict(EMPTY)
    for day, row in daily.items():
        if start <= day <= end:
            _add(total, row)
    return total


def _buckets(start: date, end: date, days: int) -> list[tuple[date, date]]:
    """Days for a month's range, weeks (from Monday) beyond."""
    if days <= 31:
        return [(start + timedelta(n), start + timedelta(n)) for n in range((end - start).days + 1)]
    first = start - timedelta(start.weekday())
    buckets = []
    while first <= end:
        buckets.append((max(first, start), min(first + timedelta(6), end)))
        first += timedelta(7)
    return buckets


@dataclass
class TrendRow:
    start: date
    end: date
    figures: dict[str, int]


@dataclass
class KpiRow:
    metric: str
    label: str
    anchor: str
    target: Decimal
    period_start: date
    period_end: date
    measured: Decimal
    progress: int  # percent of the target reached, not capped

    @property
    def bar(self) -> int:
        return min(self.progress, 100)

    @property
    def is_rate(self) -> bool:
        return self.metric in RATES


@dataclass
class Trend:
    start: date
    end: date
    rows: list[TrendRow] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)


def _trend(daily: Mapping[date, Mapping[str, int]], today: date, days: int) -> Trend:
    start = today - timedelta(days - 1)
    trend = Trend(start=start, end=today)
    for bucket_start, bucket_end in _buckets(start, today, days):
        trend.rows.append(
            TrendRow(bucket_start, bucket_end, _total(daily, bucket_start, bucket_end))
        )
    trend.totals = _total(daily, start, today)
    return trend


def _daily(rows: QuerySet[DailyShareStats]) -> dict[date, dict[str, int]]:
    return {row["day"]: derived(row) for row in rows.values("day").annotate(**SUMS).order_by()}


def _rate(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0")
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


@dataclass
class ProgramFigures:
    program: Program
    filters: Filters
    networks: list[str]
    enrolled: int
    kpis: list[KpiRow]
    trend: Trend


def program_figures(program: Program, filters: Filters, today: date) -> ProgramFigures:
    """The program dashboard: each KPI target against its measure, and the trend."""
    targets = list(program.targets.order_by("period_start", "metric", "pk"))
    range_start = today - timedelta(filters.days - 1)
    first = min([range_start, *(target.period_start for target in targets)])
    last = max([today, *(target.period_end for target in targets)])
    rows = DailyShareStats.objects.filter(
        organisation_id=program.organisation_id, program=program, day__range=(first, last)
    )
    if filters.network:
        rows = rows.filter(network=filters.network)
    daily = _daily(rows)
    active_days: dict[int, list[date]] = defaultdict(list)
    for person_id, day in (
        rows.filter(Q(shares_published__gt=0) | Q(shares_declared__gt=0), person__isnull=False)
        .values_list("person_id", "day")
        .distinct()
        .order_by()
    ):
        active_days[person_id].append(day)
    enrolled = Enrolment.objects.filter(program=program, status=Enrolment.Status.ACTIVE).count()
    networks = sorted(
        DailyShareStats.objects.filter(organisation_id=program.organisation_id, program=program)
        .exclude(network="")
        .values_list("network", flat=True)
        .distinct()
        .order_by()
    )

    def active(start: date, end: date) -> int:
        return sum(1 for days in active_days.values() if any(start <= d <= end for d in days))

    kpis = []
    for target in targets:
        start, end = target.period_start, target.period_end
        metric = target.metric
        if metric == Metric.PARTICIPATION_RATE:
            measured = _rate(active(start, end), enrolled)
        elif metric == Metric.MONTHLY_ACTIVE_RATE:
            month_end = min(end, today)
            measured = _rate(active(month_end - timedelta(29), month_end), enrolled)
        else:
            key = "applications" if metric == Metric.APPLICATIONS else str(metric)
            measured = Decimal(_total(daily, start, end).get(key, 0))
        progress = int(measured * 100 / target.target) if target.target else 0
        kpis.append(
            KpiRow(
                metric=metric,
                label=str(Metric(metric).label),
                anchor=METRIC_ANCHORS.get(Metric(metric), ""),
                target=target.target,
                period_start=start,
                period_end=end,
                measured=measured,
                progress=progress,
            )
        )
    trend = _trend(daily, today, filters.days)
    return ProgramFigures(program, filters, networks, enrolled, kpis, trend)


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
    filters: Filters
    trend: Trend
    best: list[BestPost]
    comparisons: list[Comparison]


COMPARED = ("shares", "human_clicks", "potential_reach", "engagement")


def my_figures(person: Any, filters: Filters, today: date) -> MyFigures:
    """The person's own figures, and the median of each of their programs' members."""
    start = today - timedelta(filters.days - 1)
    mine = DailyShareStats.objects.filter(
        organisation_id=person.organisation_id, person=person, day__range=(start, today)
    )
    if filters.network:
        mine = mine.filter(network=filters.network)
    trend = _trend(_daily(mine), today, filters.days)
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
    enrolments = list(
        Enrolment.objects.filter(
            program__organisation_id=person.organisation_id,
            status=Enrolment.Status.ACTIVE,
            program__in=Enrolment.objects.filter(
                person=person, status=Enrolment.Status.ACTIVE
            ).values("program"),
        )
        .select_related("program")
        .order_by("program__name", "pk")
    )
    members: dict[int, set[int]] = defaultdict(set)
    programs: dict[int, Program] = {}
    for enrolment in enrolments:
        members[enrolment.program_id].add(enrolment.person_id)
        programs[enrolment.program_id] = enrolment.program
    per_person: dict[tuple[int, int], dict[str, int]] = {}
    if programs:
        rows = DailyShareStats.objects.filter(
            organisation_id=person.organisation_id,
            program__in=list(programs),
            person__isnull=False,
            day__range=(start, today),
        )
        if filters.network:
            rows = rows.filter(network=filters.network)
        for row in rows.values("program_id", "person_id").annotate(**SUMS).order_by():
            per_person[(row["program_id"], row["person_id"])] = derived(row)
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
