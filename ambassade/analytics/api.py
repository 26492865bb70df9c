"""Analytics under /api/v1/: the same figures as the pages, computed by the same code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from ambassade.analytics import breakdowns, overview, people_groups
from ambassade.analytics.breakdowns import Breakdown
from ambassade.analytics.figures import Trend, program_figures
from ambassade.analytics.influence import influences_of
from ambassade.analytics.my_figures import my_figures
from ambassade.analytics.people_figures import person_figures, visible_enrolment
from ambassade.analytics.selection import Options, Selection, utc_today
from ambassade.analytics.tables import Table
from ambassade.core.api import ApiError, permit
from ambassade.core.api_types import Id
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
    impressions: int
    conversions: int
    applications: int
    conversion_value: Decimal


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


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class TableOut(Schema):
    key: str
    title: str
    columns: list[ColumnOut]
    rows: list[list[Any]]


class SelectionOut(Schema):
    days: int
    network: str
    department: int | None
    site: int | None
    ambassador_type: int | None
    channel: int | None


class NetworkValueOut(Schema):
    network: str
    human_clicks: int
    impressions: int
    potential_reach: int
    cost_per_click: Decimal
    cost_per_mille: Decimal
    default_rates: bool
    earned_media_value: Decimal
    brand_followers: int
    amplification: Decimal | None


class ProgramFiguresOut(Schema):
    program_id: int
    days: int
    network: str
    selection: SelectionOut
    networks: list[str]
    withheld: int | None
    threshold: int
    enrolled: int
    active: int
    active_previous: int
    participation_rate: Decimal
    click_through_rate: Decimal | None
    currency: str
    earned_media_value: Decimal
    amplification: Decimal | None
    brand_followers: int
    targets: list[KpiOut]
    trend: TrendOut
    previous: FiguresOut
    values: list[NetworkValueOut]
    tables: list[TableOut]


class BreakdownOut(Schema):
    program_id: int
    selection: SelectionOut
    withheld: int | None
    threshold: int
    facts: dict[str, Any]
    tables: list[TableOut]


class PersonFiguresOut(Schema):
    program_id: int
    person_id: int
    name: str
    selection: SelectionOut
    totals: FiguresOut
    tables: list[TableOut]


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


class InfluencePartOut(Schema):
    key: str
    label: str
    value: float
    display: str
    score: int


class InfluenceOut(Schema):
    program_id: int
    program: str
    start: date
    end: date
    overall: int
    parts: list[InfluencePartOut]


class MyFiguresOut(Schema):
    days: int
    trend: TrendOut
    best_posts: list[BestPostOut]
    comparisons: list[ComparisonOut]
    influence: list[InfluenceOut]


def _trend_out(trend: Trend) -> dict[str, object]:
    return {
        "start": trend.start,
        "end": trend.end,
        "rows": [{"start": r.start, "end": r.end, "figures": r.figures} for r in trend.rows],
        "totals": trend.totals,
    }


def _selection(request: HttpRequest, program_id: Id) -> tuple[Program, Selection]:
    actor = permit(request, "analytics.view")
    program = get_object_or_404(Program, pk=program_id, organisation=actor.organisation)
    return program, Selection.from_params(request.GET, Options.of(program.organisation_id))


def _selection_out(selection: Selection) -> dict[str, object]:
    return vars(selection)


def _tables(tables: list[Table]) -> list[dict[str, Any]]:
    return [table.as_json() for table in tables]


# The filters, documented once: the operations read them from the query string.
FILTERS = (
    "Filters: days (30, 90 or 365), network, department, site, type (ambassador type id), "
    "channel (content channel id). A filter by department, site or type that narrows the "
    "figures to fewer people than the organisation's threshold returns withheld = the "
    "group's size and no figures."
)


@router.get("/analytics/programs/{program_id}", response=ProgramFiguresOut, description=FILTERS)
def program_analytics(
    request: HttpRequest,
    program_id: Id,
    days: int = 90,
    network: str = "",
    department: Id | None = None,
    site: Id | None = None,
    type: Id | None = None,
    channel: Id | None = None,
) -> dict[str, object]:
    """A program's targets, totals against the previous period, value and trend."""
    program, selection = _selection(request, program_id)
    figures = program_figures(program, selection, utc_today())
    return {
        "program_id": program.pk,
        "days": selection.days,
        "network": selection.network,
        "selection": _selection_out(selection),
        "networks": figures.networks,
        "withheld": figures.withheld,
        "threshold": figures.threshold,
        "enrolled": figures.enrolled,
        "active": figures.active,
        "active_previous": figures.active_previous,
        "participation_rate": figures.participation,
        "click_through_rate": figures.click_through,
        "currency": figures.currency,
        "earned_media_value": figures.earned_media_value,
        "amplification": figures.amplification,
        "brand_followers": figures.brand_followers,
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
        "trend": _trend_out(figures.trend),
        "previous": figures.previous,
        "values": [
            {
                "network": row.network,
                "human_clicks": row.human_clicks,
                "impressions": row.impressions,
                "potential_reach": row.potential_reach,
                "cost_per_click": row.rate.cost_per_click,
                "cost_per_mille": row.rate.cost_per_mille,
                "default_rates": row.rate.is_default,
                "earned_media_value": row.earned_media_value,
                "brand_followers": row.brand_followers,
                "amplification": row.amplification,
            }
            for row in figures.values
        ],
        "tables": _tables(overview.tables(figures)),
    }


def _breakdown(breakdown: Breakdown) -> dict[str, object]:
    return {
        "program_id": breakdown.program.pk,
        "selection": _selection_out(breakdown.selection),
        "withheld": breakdown.withheld,
        "threshold": breakdown.threshold,
        "facts": breakdown.facts,
        "tables": _tables(breakdown.tables),
    }


@router.get("/analytics/programs/{program_id}/content", response=BreakdownOut, description=FILTERS)
def content_analytics(request: HttpRequest, program_id: Id) -> dict[str, object]:
    """Items, kinds, languages, categories and channels; the content mix."""
    program, selection = _selection(request, program_id)
    return _breakdown(breakdowns.content(program, selection, utc_today()))


@router.get("/analytics/programs/{program_id}/networks", response=BreakdownOut, description=FILTERS)
def network_analytics(request: HttpRequest, program_id: Id) -> dict[str, object]:
    """Per network: shares, clicks, engagement by source, earned media value, amplification."""
    program, selection = _selection(request, program_id)
    return _breakdown(breakdowns.networks(program, selection, utc_today()))


@router.get("/analytics/programs/{program_id}/people", response=BreakdownOut, description=FILTERS)
def people_analytics(request: HttpRequest, program_id: Id, q: str = "") -> dict[str, object]:
    """Groups by department, site and type (small ones merged); opted-in individuals,
    the first 100 by clicks, or those whose name contains ``q``."""
    program, selection = _selection(request, program_id)
    return _breakdown(people_groups.people(program, selection, utc_today(), q.strip()[:100]))


@router.get(
    "/analytics/programs/{program_id}/people/{person_id}",
    response=PersonFiguresOut,
    description=FILTERS,
)
def person_analytics(request: HttpRequest, program_id: Id, person_id: Id) -> dict[str, object]:
    """One person's figures, only when they chose to show them (404 otherwise)."""
    program, selection = _selection(request, program_id)
    enrolment = visible_enrolment(program, person_id)
    if enrolment is None:
        raise ApiError(404, "not_found", "No such person, or they keep their figures private.")
    selection = selection.without_people()
    figures = person_figures(enrolment, selection, utc_today())
    return {
        "program_id": program.pk,
        "person_id": enrolment.person_id,
        "name": enrolment.person.full_name,
        "selection": _selection_out(selection),
        "totals": figures.totals,
        "tables": _tables(figures.tables),
    }


@router.get("/analytics/me", response=MyFiguresOut)
def my_analytics(request: HttpRequest, days: int = 90) -> dict[str, object]:
    """My own figures over time, my best posts, and each of my programs' median."""
    actor = permit(request, "analytics.view_own")
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token has no figures of its own.")
    figures = my_figures(actor.person, Selection.from_params({"days": days}), utc_today())
    return {
        "days": figures.filters.days,
        "trend": _trend_out(figures.trend),
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
        "influence": [
            {
                "program_id": indicator.program.pk,
                "program": indicator.program.name,
                "start": indicator.start,
                "end": indicator.end,
                "overall": indicator.overall,
                "parts": [
                    {
                        "key": part.key,
                        "label": part.label,
                        "value": part.value,
                        "display": part.display,
                        "score": part.score,
                    }
                    for part in indicator.parts
                ],
            }
            for indicator in influences_of(actor.person, figures.trend.start, figures.trend.end)
        ],
    }
