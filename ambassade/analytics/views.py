"""The ambassador's analytics pages: my figures and how we count (dashboards: dashboard_views)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ambassade.analytics import charts
from ambassade.analytics.figures import FIGURES, Trend
from ambassade.analytics.influence import influences_of
from ambassade.analytics.my_figures import my_figures
from ambassade.analytics.selection import RANGES, Selection, utc_today
from ambassade.core.authz import require

KEY_FIGURES = ("shares", "human_clicks", "unique_visitors", "engagement")


def _figure_labels() -> list[tuple[str, str, str]]:
    return [(key, str(label), anchor) for key, label, anchor in FIGURES]


def _trend_table(trend: Trend) -> dict[str, Any]:
    keys = [key for key, _label, _anchor in FIGURES]
    return {
        "rows": [(row.start, [row.figures[key] for key in keys]) for row in trend.rows],
        "totals": [trend.totals[key] for key in keys],
    }


@require("analytics.view_own")
def mine(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    filters = Selection.from_params(request.GET)
    figures = my_figures(actor.person, filters, utc_today())
    context = {
        "figures": figures,
        "filters": filters,
        "ranges": RANGES,
        "figure_labels": _figure_labels(),
        "charts": charts.trend_charts(figures.trend, filters.days, compact=True),
        "trend_table": _trend_table(figures.trend),
    }
    tiles = [
        (key, label, anchor, figures.trend.totals[key]) for key, label, anchor in _figure_labels()
    ]
    # A phone shows the key figures two by two; the others wait behind "More figures".
    context["key_tiles"] = [tile for tile in tiles if tile[0] in KEY_FIGURES]
    context["other_tiles"] = [tile for tile in tiles if tile[0] not in KEY_FIGURES]
    context["influences"] = influences_of(actor.person, figures.trend.start, figures.trend.end)
    return render(request, "analytics/mine.html", context)


@require("analytics.view_own")
def how_we_count(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/how_we_count.html")
