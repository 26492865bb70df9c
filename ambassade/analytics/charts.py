"""Line charts drawn on the server as SVG: a title, axis labels, and the numbers as a table."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from ambassade.analytics.figures import Trend

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40


@dataclass
class Chart:
    slug: str
    title: str
    x_label: str
    y_label: str
    points: str = ""
    dots: list[tuple[float, float]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: float = HEIGHT - BOTTOM
    right: float = WIDTH - RIGHT
    top: int = TOP


def _label(trend: Trend, index: int) -> str:
    row = trend.rows[index]
    return date_format(row.start, "SHORT_DATE_FORMAT")


# A phone's chart: drawn at about the width it is shown (300 px of a 360 px screen), so
# that its 11 px labels stay 11 px.
PHONE_WIDTH, PHONE_HEIGHT = 300, 200


def line_chart(
    slug: str,
    title: str,
    x_label: str,
    y_label: str,
    trend: Trend,
    key: str,
    compact: bool = False,
) -> Chart:
    chart = Chart(slug=slug, title=title, x_label=x_label, y_label=y_label)
    if compact:
        chart.width, chart.height = PHONE_WIDTH, PHONE_HEIGHT
        # Room for half of the last date label, centred on the last point.
        chart.right, chart.bottom = PHONE_WIDTH - 2 * RIGHT, PHONE_HEIGHT - BOTTOM
    values = [row.figures[key] for row in trend.rows]
    if not values:
        return chart
    top_value = max(max(values), 1)
    plot_width = chart.right - chart.left
    plot_height = chart.bottom - chart.top
    step = plot_width / max(len(values) - 1, 1)
    coordinates = [
        (
            round(chart.left + index * step, 1),
            round(chart.bottom - value / top_value * plot_height, 1),
        )
        for index, value in enumerate(values)
    ]
    chart.points = " ".join(f"{x},{y}" for x, y in coordinates)
    chart.dots = coordinates if len(coordinates) <= 60 else []
    every = max(1, len(values) // (2 if compact else 6))
    chart.x_ticks = [(coordinates[i][0], _label(trend, i)) for i in range(0, len(values), every)]
    chart.y_ticks = [
        (
            round(chart.bottom - fraction * plot_height, 1),
            number_format(round(top_value * fraction)),
        )
        for fraction in (0, 0.5, 1)
    ]
    return chart


def trend_charts(trend: Trend, days: int, compact: bool = False) -> list[Chart]:
    """Shares and human clicks over time: the charts of the dashboards and of my figures
    (``compact``: drawn for a phone's width)."""
    x_label = _("Day") if days <= 31 else _("Week starting")
    return [
        line_chart("shares", _("Shares over time"), x_label, _("Shares"), trend, "shares", compact),
        line_chart(
            "clicks",
            _("Human clicks over time"),
            x_label,
            _("Human clicks"),
            trend,
            "human_clicks",
            compact,
        ),
    ]
