"""One person's figures in one program, for the console (only when they opted in)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from ambassade.analytics.breakdowns import figure_columns
from ambassade.analytics.figures import SUMS, Trend, daily_totals, derived, trend_of
from ambassade.analytics.models import DailyShareStats
from ambassade.analytics.overview import trend_table
from ambassade.analytics.selection import Selection
from ambassade.analytics.tables import TEXT, Column, Table
from ambassade.programs.models import Enrolment, Program

BEST_POSTS = 5


@dataclass
class PersonFigures:
    enrolment: Enrolment
    trend: Trend
    tables: list[Table] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, Any]:
        return self.trend.totals


def visible_enrolment(program: Program, person_id: int) -> Enrolment | None:
    """The person's enrolment if they chose to show their figures in the program, else None:
    no page, no API answer, for anyone else."""
    return (
        Enrolment.objects.filter(program=program, person_id=person_id, individual_visibility=True)
        .exclude(status=Enrolment.Status.ENDED)
        .select_related("person", "ambassador_type", "program")
        .first()
    )


def person_figures(enrolment: Enrolment, selection: Selection, today: date) -> PersonFigures:
    rows = DailyShareStats.objects.filter(
        organisation_id=enrolment.program.organisation_id,
        program_id=enrolment.program_id,
        person_id=enrolment.person_id,
        day__range=(selection.start(today), today),
    )
    if selection.network:
        rows = rows.filter(network=selection.network)
    if selection.channel is not None:
        rows = rows.filter(item__channels=selection.channel)
    trend = trend_of(daily_totals(rows), today, selection.days)
    best = (
        rows.filter(item__isnull=False)
        .values("item_id", "item__title")
        .annotate(**SUMS)
        .order_by("-human_clicks", "-likes", "item_id")[:BEST_POSTS]
    )
    best_table = Table(
        key="best",
        title=_("Posts that worked best"),
        columns=[Column("item", _("Item"), TEXT), *figure_columns()],
        rows=[
            [row["item__title"], *(derived(row)[c.key] for c in figure_columns())] for row in best
        ],
    )
    return PersonFigures(
        enrolment=enrolment,
        trend=trend,
        tables=[best_table, trend_table(trend, selection.days)],
    )
