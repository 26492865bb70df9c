"""The analytics pages: the program dashboard (and its CSV), my figures, how we count."""

from __future__ import annotations

import csv
from datetime import UTC
from io import StringIO
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.analytics import charts
from ambassade.analytics.figures import (
    FIGURES,
    RANGES,
    Filters,
    ProgramFigures,
    Trend,
    my_figures,
    program_figures,
)
from ambassade.analytics.influence import influences_of
from ambassade.core.authz import require
from ambassade.programs.models import Program


def utc_today() -> Any:
    return timezone.now().astimezone(UTC).date()


def _trend_charts(trend: Trend, days: int) -> list[charts.Chart]:
    x_label = _("Day") if days <= 31 else _("Week starting")
    return [
        charts.line_chart("shares", _("Shares over time"), x_label, _("Shares"), trend, "shares"),
        charts.line_chart(
            "clicks", _("Human clicks over time"), x_label, _("Human clicks"), trend, "human_clicks"
        ),
    ]


def _figure_labels() -> list[tuple[str, str, str]]:
    return [(key, str(label), anchor) for key, label, anchor in FIGURES]


def _trend_table(trend: Trend) -> dict[str, Any]:
    keys = [key for key, _label, _anchor in FIGURES]
    return {
        "rows": [(row.start, [row.figures[key] for key in keys]) for row in trend.rows],
        "totals": [trend.totals[key] for key in keys],
    }


@require("analytics.view")
def program_dashboard(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    program = get_object_or_404(Program, pk=program_id, organisation=actor.organisation)
    filters = Filters.from_params(request.GET)
    figures = program_figures(program, filters, utc_today())
    if request.GET.get("format") == "csv":
        return _csv(figures, request.GET.get("table", "targets"))
    context = {
        "program": program,
        "figures": figures,
        "filters": filters,
        "ranges": RANGES,
        "figure_labels": _figure_labels(),
        "charts": _trend_charts(figures.trend, filters.days),
        "trend_table": _trend_table(figures.trend),
    }
    return render(request, "analytics/program.html", context)


def _csv(figures: ProgramFigures, table: str) -> HttpResponse:
    out = StringIO()
    writer = csv.writer(out)
    if table == "trend":
        writer.writerow([_("From"), _("To"), *(str(label) for _key, label, _a in FIGURES)])
        for row in figures.trend.rows:
            writer.writerow(
                [row.start.isoformat(), row.end.isoformat()]
                + [row.figures[key] for key, _label, _a in FIGURES]
            )
        name = f"program-{figures.program.pk}-trend.csv"
    else:
        header = [_("Metric"), _("Period start"), _("Period end"), _("Target"), _("Measured")]
        writer.writerow([*header, _("Progress (%)")])
        for kpi in figures.kpis:
            writer.writerow(
                [
                    kpi.metric,
                    kpi.period_start.isoformat(),
                    kpi.period_end.isoformat(),
                    kpi.target,
                    kpi.measured,
                    kpi.progress,
                ]
            )
        name = f"program-{figures.program.pk}-targets.csv"
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require("analytics.view_own")
def mine(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    filters = Filters.from_params(request.GET)
    figures = my_figures(actor.person, filters, utc_today())
    context = {
        "figures": figures,
        "filters": filters,
        "ranges": RANGES,
        "figure_labels": _figure_labels(),
        "charts": _trend_charts(figures.trend, filters.days),
        "trend_table": _trend_table(figures.trend),
    }
    context["tiles"] = [
        (key, label, anchor, figures.trend.totals[key]) for key, label, anchor in _figure_labels()
    ]
    context["influences"] = influences_of(actor.person, figures.trend.start, figures.trend.end)
    return render(request, "analytics/mine.html", context)


@require("analytics.view_own")
def how_we_count(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/how_we_count.html")
