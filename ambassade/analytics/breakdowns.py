"""The content, network and people dashboards of a program, as tables.

Each function reads the daily rollup under the selection and returns ``Table`` objects,
the single source of the page, its CSV/XLSX exports and the API.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.analytics import person_ranges, value
from ambassade.analytics import selection as selected
from ambassade.analytics.figures import (
    SUM_NAMES,
    SUMS,
    as_figures,
    derived,
    network_values,
    raw_rows,
)
from ambassade.analytics.selection import Selection
from ambassade.analytics.tables import DECIMAL, MONEY, PERCENT, TEXT, Column, Table
from ambassade.content.models import LANGUAGES, ContentItem, Kind
from ambassade.content.selectors import content_settings
from ambassade.programs.models import Program
from ambassade.sharing.networks.base import REGISTRY
from ambassade.sharing.registry import display_name

TOP_ITEMS = 100


def figure_columns() -> list[Column]:
    return [
        Column("shares", _("Shares"), anchor="shares"),
        Column("human_clicks", _("Human clicks"), anchor="human-clicks"),
        Column("unique_visitors", _("Unique visitors"), anchor="unique-visitors"),
        Column("potential_reach", _("Potential reach"), anchor="potential-reach"),
        Column("engagement", _("Engagement"), anchor="engagement"),
        Column("conversions", _("Conversions"), anchor="conversions"),
        Column("conversion_value", _("Conversion value"), MONEY, anchor="conversions"),
    ]


@cache
def figure_keys() -> tuple[str, ...]:
    # The keys do not depend on the language: read once, not seven translations a row.
    return tuple(column.key for column in figure_columns())


def figure_values(row: dict[str, Any]) -> list[Any]:
    figures = derived(row)
    return [figures[key] for key in figure_keys()]


@dataclass
class Breakdown:
    program: Program
    selection: Selection
    tables: list[Table] = field(default_factory=list)
    withheld: int | None = None
    threshold: int = 5
    facts: dict[str, Any] = field(default_factory=dict)


def start_breakdown(
    program: Program, selection: Selection, today: date, by_person: bool = False
) -> tuple[Breakdown, Any]:
    """The breakdown and the rows of its period: the sums per person over the range (or
    the daily rows) when figures are needed per person, else ``selection.sums``."""
    threshold = value.settings_for(program.organisation_id).small_group
    breakdown = Breakdown(program, selection, threshold=threshold)
    breakdown.withheld = selected.withheld(program, selection, threshold)
    if by_person:
        return breakdown, person_ranges.program_rows(program, selection, today)
    rows = selected.sums(program, selection).filter(day__range=(selection.start(today), today))
    return breakdown, rows


CLICKS, PUBLISHED = SUM_NAMES.index("human_clicks"), SUM_NAMES.index("shares_published")


def _grouped(sums: dict[int, Any], group_of: Any) -> list[list[Any]]:
    """Adds up per-item sums into groups (an item may be in several), most clicks first."""
    members: dict[str, list[Any]] = defaultdict(list)
    for item_id, values in sums.items():
        for group in group_of(item_id):
            members[group].append(values)
    # Column by column with the built-in sum: thousands of items, a few groups.
    totals = {
        group: [sum(column) for column in zip(*rows, strict=True)]
        for group, rows in members.items()
    }
    ordered = sorted(totals.items(), key=lambda pair: (-pair[1][CLICKS], pair[0]))
    return [[group, *figure_values(as_figures(total))] for group, total in ordered]


def content(program: Program, selection: Selection, today: date) -> Breakdown:
    breakdown, rows = start_breakdown(program, selection, today)
    start = selection.start(today)
    # The same days as published_at__date__range, as a range of instants: no per-row date
    # conversion (a Python function per row on SQLite, no index use on PostgreSQL).
    published = ContentItem.objects.filter(
        program=program,
        published_at__gte=timezone.make_aware(datetime.combine(start, time.min)),
        published_at__lt=timezone.make_aware(datetime.combine(today + timedelta(1), time.min)),
    )
    mix = published.aggregate(
        total=Count("pk"), promotional=Count("pk", filter=Q(category__promotional=True))
    )
    threshold = content_settings(program.organisation).promotional_threshold
    share = round(100 * mix["promotional"] / mix["total"]) if mix["total"] else 0
    breakdown.facts = {
        "published": mix["total"],
        "promotional": mix["promotional"],
        "promotional_share": share,
        "promotional_threshold": threshold,
        "too_promotional": bool(mix["total"]) and share > threshold,
    }
    if breakdown.withheld is not None:
        return breakdown
    kinds = {code: str(label) for code, label in Kind.choices}
    languages = {code: str(label) for code, label in LANGUAGES}
    # One read of the range grouped by item alone (no join, no sort in SQL: at ten
    # thousand items both cost more than the sums); the items' attributes are read once
    # and every table is added up here.
    active = rows.filter(item__isnull=False).values("item_id")
    sums: dict[int, Any] = {
        row[0]: row[1:]
        for row in raw_rows(
            rows.filter(item__isnull=False).values_list("item_id").annotate(**SUMS).order_by()
        )
    }
    items: dict[int, list[Any]] = {
        pk: attributes
        # Only the items that have figures in the period (a subquery: a list of thousands
        # of ids costs more to send than to compute again).
        for pk, *attributes in ContentItem.objects.filter(pk__in=active).values_list(
            "pk", "title", "kind", "language", "category__name", "category__promotional"
        )
    }
    sums = {pk: values for pk, values in sums.items() if pk in items}
    top = sorted(sums, key=lambda pk: (-sums[pk][CLICKS], -sums[pk][PUBLISHED], pk))
    breakdown.tables.append(
        Table(
            key="items",
            title=_("Items, by human clicks (first %(count)s)") % {"count": TOP_ITEMS},
            columns=[
                Column("item", _("Item"), TEXT),
                Column("kind", _("Kind"), TEXT),
                Column("language", _("Language"), TEXT),
                Column("category", _("Category"), TEXT),
                Column("promotional", _("Promotional"), TEXT),
                *figure_columns(),
            ],
            rows=[
                [
                    items[pk][0],
                    kinds.get(items[pk][1], items[pk][1]),
                    languages.get(items[pk][2], items[pk][2]),
                    items[pk][3] or _("None"),
                    _("yes") if items[pk][4] else _("no"),
                    *figure_values(as_figures(sums[pk])),
                ]
                for pk in top[:TOP_ITEMS]
            ],
        )
    )
    channels: dict[int, list[str]] = defaultdict(list)
    for item_id, name in ContentItem.channels.through.objects.filter(
        contentitem_id__in=active
    ).values_list("contentitem_id", "channel__name"):
        channels[item_id].append(name)
    for key, title, group_of in (
        ("kinds", _("By kind of content"), lambda pk: [kinds.get(items[pk][1], "")]),
        ("languages", _("By language"), lambda pk: [languages.get(items[pk][2], "")]),
        ("categories", _("By category"), lambda pk: [items[pk][3] or _("None")]),
        ("channels", _("By channel"), lambda pk: channels.get(pk) or [_("None")]),
    ):
        breakdown.tables.append(
            Table(
                key=key,
                title=title,
                columns=[Column("group", title, TEXT), *figure_columns()],
                rows=_grouped(sums, group_of),
                note=_("An item in several channels counts in each of them.")
                if key == "channels"
                else "",
            )
        )
    return breakdown


def networks(program: Program, selection: Selection, today: date) -> Breakdown:
    breakdown, rows = start_breakdown(program, selection, today)
    if breakdown.withheld is not None:
        return breakdown
    per_network = [
        derived(row) | {"network": row["network"]}
        for row in rows.values("network").annotate(**SUMS).order_by("network")
    ]

    def click_through(row: dict[str, Any]) -> Decimal | None:
        if not row["potential_reach"]:
            return None
        return (Decimal(row["human_clicks"]) * 100 / row["potential_reach"]).quantize(
            Decimal("0.01")
        )

    def source(row: dict[str, Any]) -> str:
        # Reactions are read back only for posts published through a network's API.
        if row["network"] in REGISTRY and row["shares_published"]:
            return _("Reported by %(network)s") % {"network": display_name(row["network"])}
        return _("Not available (shared through a link)")

    breakdown.tables.append(
        Table(
            key="networks",
            title=_("By network"),
            columns=[
                Column("network", _("Network"), TEXT),
                Column("shares_published", _("Published through the API"), anchor="shares"),
                Column("shares_declared", _("Declared through a share link"), anchor="shares"),
                Column("human_clicks", _("Human clicks"), anchor="human-clicks"),
                Column("unique_visitors", _("Unique visitors"), anchor="unique-visitors"),
                Column("potential_reach", _("Potential reach"), anchor="potential-reach"),
                Column("click_through", _("Click-through rate (%)"), PERCENT, "click-through"),
                Column("likes", _("Likes"), anchor="engagement"),
                Column("reposts", _("Reposts"), anchor="engagement"),
                Column("replies", _("Replies"), anchor="engagement"),
                Column("impressions", _("Impressions"), anchor="engagement"),
                Column("source", _("Engagement source"), TEXT, "engagement"),
                Column("conversions", _("Conversions"), anchor="conversions"),
                Column("conversion_value", _("Conversion value"), MONEY, "conversions"),
            ],
            rows=[
                [
                    display_name(row["network"]) if row["network"] else _("None"),
                    row["shares_published"],
                    row["shares_declared"],
                    row["human_clicks"],
                    row["unique_visitors"],
                    row["potential_reach"],
                    click_through(row),
                    row["likes"],
                    row["reposts"],
                    row["replies"],
                    row["impressions"],
                    source(row),
                    row["conversions"],
                    row["conversion_value"],
                ]
                for row in per_network
            ],
        )
    )
    values = network_values(
        program.organisation_id, {row["network"]: row for row in per_network}, selection.network
    )
    breakdown.tables.append(
        Table(
            key="value",
            title=_("Earned media value"),
            columns=[
                Column("network", _("Network"), TEXT),
                Column("human_clicks", _("Human clicks"), anchor="human-clicks"),
                Column("cost_per_click", _("Cost per click"), MONEY, "earned-media-value"),
                Column("impressions", _("Impressions"), anchor="engagement"),
                Column("cost_per_mille", _("Cost per thousand impressions"), MONEY),
                Column("rates", _("Rates"), TEXT, "earned-media-value"),
                Column("earned_media_value", _("Earned media value"), MONEY, "earned-media-value"),
            ],
            rows=[
                [
                    display_name(row.network),
                    row.human_clicks,
                    row.rate.cost_per_click,
                    row.impressions,
                    row.rate.cost_per_mille,
                    _("default") if row.rate.is_default else _("set by the organisation"),
                    row.earned_media_value,
                ]
                for row in values
            ],
            note=_(
                "Earned media value = human clicks × cost per click + impressions ÷ 1,000 × "
                "cost per thousand impressions. It is what the same clicks and impressions "
                "would have cost as paid posts, not money earned."
            ),
        )
    )
    breakdown.tables.append(
        Table(
            key="amplification",
            title=_("Amplification"),
            columns=[
                Column("network", _("Network"), TEXT),
                Column("potential_reach", _("Potential reach"), anchor="potential-reach"),
                Column("brand_followers", _("Followers of the brand's accounts")),
                Column("amplification", _("Amplification (×)"), DECIMAL, "amplification"),
            ],
            rows=[
                [
                    display_name(row.network),
                    row.potential_reach,
                    row.brand_followers,
                    row.amplification,
                ]
                for row in values
            ],
            note=_(
                "Amplification = potential reach of the ambassadors' shares ÷ followers of "
                "the brand's own accounts on the same network. Empty where the brand has no "
                "account registered."
            ),
        )
    )
    return breakdown
