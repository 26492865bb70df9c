"""The figures of the dashboards, computed once for the pages, the CSV and the API.

Everything here reads the rollup (``DailyItemStats``, or ``DailyShareStats`` where people
are counted or filtered), never raw clicks or shares; the only other reads are the
program's KPI targets and its enrolment count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ambassade.analytics import department_sums, value
from ambassade.analytics import selection as selected
from ambassade.analytics.counters import (
    CENT,
    COUNTERS,
    EMPTY,
    SUM_NAMES,
    SUMS,
    add_to,
    as_figures,
    by_day_and_network,
    derived,
    per_day,
    per_network,
    raw_rows,
)
from ambassade.analytics.participation import active_counts as _active_counts
from ambassade.analytics.participation import rate as _rate
from ambassade.analytics.selection import Selection
from ambassade.programs.models import Metric, Program

# The pages import these from here too.
__all__ = ["CENT", "COUNTERS", "SUMS", "SUM_NAMES", "as_figures", "derived", "raw_rows"]
# Below this many enrolled people, no median is shown: it would expose colleagues.
MEDIAN_MINIMUM = 5

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


def _total(daily: Mapping[date, Mapping[str, int]], start: date, end: date) -> dict[str, int]:
    total = dict(EMPTY)
    for day, row in daily.items():
        if start <= day <= end:
            add_to(total, row)
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


def trend_of(daily: Mapping[date, Mapping[str, int]], today: date, days: int) -> Trend:
    start = today - timedelta(days - 1)
    trend = Trend(start=start, end=today)
    for bucket_start, bucket_end in _buckets(start, today, days):
        trend.rows.append(
            TrendRow(bucket_start, bucket_end, _total(daily, bucket_start, bucket_end))
        )
    trend.totals = _total(daily, start, today)
    return trend


def daily_totals(rows: QuerySet[Any]) -> dict[date, dict[str, int]]:
    return {row["day"]: derived(row) for row in rows.values("day").annotate(**SUMS).order_by()}


def change(current: int | Decimal, previous: int | Decimal) -> Decimal | None:
    """Period-over-period change in percent; None when there was nothing to compare with."""
    if not previous:
        return None
    return ((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)).quantize(
        Decimal("0.1")
    )


@dataclass
class NetworkValue:
    network: str
    human_clicks: int
    impressions: int
    potential_reach: int
    rate: value.Rate
    earned_media_value: Decimal
    brand_followers: int
    amplification: Decimal | None


@dataclass
class ProgramFigures:
    program: Program
    selection: Selection
    networks: list[str]
    enrolled: int  # the selected group's members enrolled during the period: the denominator
    kpis: list[KpiRow]
    trend: Trend
    withheld: int | None = None  # size of a selected group too small to show
    threshold: int = 5
    previous: dict[str, Any] = field(default_factory=dict)
    active: int = 0
    active_previous: int = 0
    values: list[NetworkValue] = field(default_factory=list)
    currency: str = "EUR"

    @property
    def totals(self) -> dict[str, Any]:
        return self.trend.totals

    @property
    def participation(self) -> Decimal:
        return _rate(self.active, self.enrolled)

    @property
    def click_through(self) -> Decimal | None:
        reach = self.totals.get("potential_reach", 0)
        if not reach:
            return None
        return (Decimal(self.totals["human_clicks"]) * 100 / reach).quantize(Decimal("0.01"))

    @property
    def earned_media_value(self) -> Decimal:
        return sum((row.earned_media_value for row in self.values), Decimal("0.00"))

    @property
    def brand_followers(self) -> int:
        return sum(row.brand_followers for row in self.values)

    @property
    def amplification(self) -> Decimal | None:
        # All the ambassadors' potential reach against all the brand's followers (of the
        # selected network only, when the network filter is on).
        reach = sum(row.potential_reach for row in self.values)
        return value.amplification(reach, self.brand_followers)


def program_figures(program: Program, selection: Selection, today: date) -> ProgramFigures:
    """The program dashboard: targets (whole program), then the selection's figures."""
    settings = value.settings_for(program.organisation_id)
    targets = list(program.targets.order_by("period_start", "metric", "pk"))
    whole = selected.rows(program, Selection())  # people: the participation rates
    whole_sums = selected.day_sums(program, Selection())  # totals: the other targets
    previous_start, previous_end = selection.previous(today)
    start = selection.start(today)
    # Without a filter on people or channel, the selection's sums are the whole program's
    # (of one network at most): one read per day and network serves the targets, the
    # trend, both periods and the values per network.
    whole_program = not selection.narrows_people and selection.channel is None
    firsts = [t.period_start for t in targets] + ([previous_start] if whole_program else [])
    lasts = [t.period_end for t in targets] + ([today] if whole_program else [])
    whole_daily = (
        by_day_and_network(whole_sums.filter(day__range=(min(firsts), max(lasts))))
        if firsts
        else {}
    )
    kpi_daily = per_day(whole_daily)
    rate_periods = []
    for target in targets:
        if target.metric == Metric.PARTICIPATION_RATE:
            rate_periods.append((target.period_start, target.period_end))
        elif target.metric == Metric.MONTHLY_ACTIVE_RATE:
            month_end = min(target.period_end, today)
            rate_periods.append((month_end - timedelta(29), month_end))
    own_periods = [(start, today), (previous_start, previous_end)]
    # Without any filter the period's counts are the whole program's: one query for both.
    unfiltered = selection == Selection(days=selection.days)
    counted = _active_counts(
        program, Selection(), whole, rate_periods + (own_periods if unfiltered else [])
    )
    rate_values = iter(counted[: len(rate_periods)])
    kpis = []
    for target in targets:
        metric = target.metric
        if metric in RATES:
            measured = _rate(*next(rate_values))
        else:
            key = "applications" if metric == Metric.APPLICATIONS else str(metric)
            measured = Decimal(
                _total(kpi_daily, target.period_start, target.period_end).get(key, 0)
            )
        progress = int(measured * 100 / target.target) if target.target else 0
        kpis.append(
            KpiRow(
                metric=metric,
                label=str(Metric(metric).label),
                anchor=METRIC_ANCHORS.get(Metric(metric), ""),
                target=target.target,
                period_start=target.period_start,
                period_end=target.period_end,
                measured=measured,
                progress=progress,
            )
        )
    networks = selected.networks_of(program)
    figures = ProgramFigures(
        program=program,
        selection=selection,
        networks=networks,
        enrolled=0,
        kpis=kpis,
        trend=Trend(start=start, end=today, totals=dict(EMPTY)),
        threshold=settings.small_group,
        previous=dict(EMPTY),
        currency=settings.currency,
    )
    figures.withheld = selected.withheld(program, selection, settings.small_group)
    if figures.withheld is not None:
        return figures
    rows = selected.rows(program, selection).filter(day__range=(previous_start, today))
    if whole_program:
        sums = whole_daily
    else:
        # One department: its sums per day (a few rows a day), else the filtered rows.
        found = department_sums.day_rows(program, selection)
        if found is None:
            found = selected.sums(program, selection)
        sums = by_day_and_network(found.filter(day__range=(previous_start, today)))
    daily = (
        kpi_daily if whole_program and not selection.network else per_day(sums, selection.network)
    )
    figures.trend = trend_of(daily, today, selection.days)
    figures.previous = _total(daily, previous_start, previous_end)
    if unfiltered:
        own = counted[len(rate_periods) :]
    else:
        own = _active_counts(program, selection, rows, own_periods)
    (figures.active, figures.enrolled), (figures.active_previous, _before) = own
    figures.values = network_values(
        program.organisation_id,
        per_network(sums, start, today, selection.network),
        selection.network,
    )
    return figures


def network_values(
    organisation_id: int, sums: Mapping[str, Mapping[str, Any]], only: str = ""
) -> list[NetworkValue]:
    """Earned media value and amplification per network, from figures per network of the
    rows already filtered."""
    rates = value.rates_for(organisation_id)
    brand = value.brand_audience(organisation_id)
    networks = sorted(set(sums) | ({only} & set(brand) if only else set(brand)))
    values = []
    for network in networks:
        figures = sums.get(network, EMPTY)
        rate = value.rate(rates, network)
        followers = brand.get(network, 0)
        values.append(
            NetworkValue(
                network=network,
                human_clicks=figures["human_clicks"],
                impressions=figures["impressions"],
                potential_reach=figures["potential_reach"],
                rate=rate,
                earned_media_value=value.earned_media_value(
                    rate, figures["human_clicks"], figures["impressions"]
                ),
                brand_followers=followers,
                amplification=value.amplification(figures["potential_reach"], followers),
            )
        )
    return values
