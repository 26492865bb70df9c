"""The tables of the program overview: targets, this period against the previous one, trend."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ambassade.analytics.breakdowns import figure_columns
from ambassade.analytics.figures import FIGURES, ProgramFigures, Trend, change
from ambassade.analytics.tables import DATE, DECIMAL, INT, PERCENT, TEXT, Column, Table


def targets_table(figures: ProgramFigures) -> Table:
    return Table(
        key="targets",
        title=_("Targets"),
        columns=[
            Column("metric", _("Figure"), TEXT),
            Column("period_start", _("Period start"), DATE),
            Column("period_end", _("Period end"), DATE),
            Column("measured", _("Measured"), DECIMAL),
            Column("target", _("Target"), DECIMAL),
            Column("progress", _("Progress (%)"), INT),
        ],
        rows=[
            [kpi.label, kpi.period_start, kpi.period_end, kpi.measured, kpi.target, kpi.progress]
            for kpi in figures.kpis
        ],
        note=_("Targets are measured on the whole program, whatever the filters."),
    )


def summary_rows(figures: ProgramFigures) -> list[tuple[Column, Any, Any]]:
    """(figure, this period, previous period) for the summary table and the tiles."""
    totals, previous = figures.totals, figures.previous
    rows: list[tuple[Column, Any, Any]] = [
        (column, totals[column.key], previous[column.key]) for column in figure_columns()
    ]
    rows.insert(
        1,
        (
            Column("active", _("Active ambassadors"), INT, "active-ambassadors"),
            figures.active,
            figures.active_previous,
        ),
    )
    return rows


def summary_table(figures: ProgramFigures) -> Table:
    rows: list[list[Any]] = [
        [column.label, current, before, change(current, before)]
        for column, current, before in summary_rows(figures)
    ]
    rows += [
        [_("Participation rate (%)"), figures.participation, None, None],
        [_("Click-through rate (%)"), figures.click_through, None, None],
        [_("Earned media value"), figures.earned_media_value, None, None],
        [_("Amplification (×)"), figures.amplification, None, None],
    ]
    return Table(
        key="summary",
        title=_("This period and the previous one"),
        columns=[
            Column("figure", _("Figure"), TEXT),
            Column("current", _("This period"), DECIMAL),
            Column("previous", _("Previous period"), DECIMAL),
            Column("change", _("Change (%)"), PERCENT),
        ],
        rows=rows,
        note=_("The previous period has the same length and ends the day before this one."),
    )


def trend_table(trend: Trend, days: int) -> Table:
    keys = [key for key, _label, _anchor in FIGURES]
    return Table(
        key="trend",
        title=_("Figures over time (the numbers of the charts)"),
        columns=[
            Column("start", _("Day") if days <= 31 else _("Week starting"), DATE),
            Column("end", _("To"), DATE),
            *(Column(key, str(label), INT, anchor) for key, label, anchor in FIGURES),
        ],
        rows=[[row.start, row.end, *(row.figures[key] for key in keys)] for row in trend.rows],
    )


def tables(figures: ProgramFigures) -> list[Table]:
    found = [targets_table(figures)]
    if figures.withheld is None:
        found += [summary_table(figures), trend_table(figures.trend, figures.selection.days)]
    return found
