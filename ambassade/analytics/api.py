"""Analytics under /api/v1/: the same figures as the pages, computed by the same code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from ambassade.analytics.figures import Filters, Trend, my_figures, program_figures
from ambassade.analytics.views import utc_today
from ambassade.core.api import ApiError, permit
from ambassade.programs.models import Program

router = Router(tags=["analytics"])


class FiguresOut(Schema):
    shares: int
    shares_published: int
    shares_declared: int
    human_clicks: int
    unique_visitors: int
    potential_reach: int
    engagement: int
    likes: int
    reposts: int
    replies: int
    conversions: int
    applications: int


class TrendRowOut(Schema):
    start: date
    end: date
    figures: FiguresOut


class TrendOut(Schema):
    start: date
    end: date
    rows: list[TrendRowOut]
    totals: FiguresOut


class KpiOut(Schema):
    metric: str
    period_start: date
    period_end: date
    target: Decimal
    measured: Decimal
    progress: int


class ProgramFiguresOut(Schema):
    program_id: int
    days: int
    network: str
    networks: list[str]
    enrolled: int
    targets: list[KpiOut]
    trend: TrendOut


class BestPostOut(Schema):
    item_id: int
    title: str
    shares: int
    human_clicks: int
    engagement: int


class ComparisonOut(Schema):
    program_id: int
    program: str
    people: int
    mine: dict[str, int]
    median: dict[str, float] | None


class MyFiguresOut(Schema):
    days: int
    trend: TrendOut
    best_posts: list[BestPostOut]
    comparisons: list[ComparisonOut]


def _trend(trend: Trend) -> dict[str, object]:
    return {
        "start": trend.start,
        "end": trend.end,
        "rows": [{"start": r.start, "end": r.end, "figures": r.figures} for r in trend.rows],
        "totals": trend.totals,
    }


@router.get("/analytics/programs/{program_id}", response=ProgramFiguresOut)
def program_analytics(
    request: HttpRequest, program_id: int, days: int = 90, network: str = ""
) -> dict[str, object]:
    """A program's KPI targets against their measured values, and the trend (aggregates only)."""
    actor = permit(request, "analytics.view")
    program = get_object_or_404(Program, pk=program_id, organisation=actor.organisation)
    figures = program_figures(
        program, Filters.from_params({"days": days, "network": network}), utc_today()
    )
    return {
        "program_id": program.pk,
        "days": figures.filters.days,
        "network": figures.filters.network,
        "networks": figures.networks,
        "enrolled": figures.enrolled,
        "targets": [
            {
                "metric": kpi.metric,
                "period_start": kpi.period_start,
                "period_end": kpi.period_end,
                "target": kpi.target,
                "measured": kpi.measured,
                "progress": kpi.progress,
            }
            for kpi in figures.kpis
        ],
        "trend": _trend(figures.trend),
    }


@router.get("/analytics/me", response=MyFiguresOut)
def my_analytics(request: HttpRequest, days: int = 90) -> dict[str, object]:
    """My own figures over time, my best posts, and each of my programs' median."""
    actor = permit(request, "analytics.view_own")
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token has no figures of its own.")
    figures = my_figures(actor.person, Filters.from_params({"days": days}), utc_today())
    return {
        "days": figures.filters.days,
        "trend": _trend(figures.trend),
        "best_posts": [vars(post) for post in figures.best],
        "comparisons": [
            {
                "program_id": comparison.program.pk,
                "program": comparison.program.name,
                "people": comparison.people,
                "mine": comparison.mine,
                "median": comparison.median,
            }
            for comparison in figures.comparisons
        ],
    }
