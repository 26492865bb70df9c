"""The counters of the rollup's rows and how their sums are read and added up.

Shared by every page: the sums of a query (``SUMS``), the displayed figures of a row of
sums (``derived``), and raw reads that skip Django's conversion of every value.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

CENT = Decimal("0.01")
COUNTERS = (
    "shares_published",
    "shares_declared",
    "human_clicks",
    "unique_visitors",
    "potential_reach",
    "likes",
    "reposts",
    "replies",
    "impressions",
    "conversions",
    "applications",
)
SUMS: dict[str, Any] = {name: Coalesce(Sum(name), 0) for name in COUNTERS} | {
    "conversion_value": Coalesce(
        Sum("conversion_value"), Value(Decimal(0)), output_field=DecimalField()
    )
}


def derived(row: Mapping[str, Any]) -> dict[str, Any]:
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
        "impressions": row["impressions"],
        "conversions": row["conversions"],
        "applications": row["applications"],
        # A Decimal from the ORM; an int or a float from a raw SQLite row.
        "conversion_value": Decimal(str(row.get("conversion_value") or 0)).quantize(CENT),
    }


EMPTY = derived(dict.fromkeys(COUNTERS, 0))
SUM_NAMES = tuple(SUMS)  # the order of the sums in a values_list row


def raw_rows(queryset: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """A values_list query's rows as the database returns them.

    Django converts every value of every row (eleven sums on thousands of rows here cost
    more than the query); these are plain numbers, and ``derived`` reads them as they are.
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def as_figures(values: Any) -> dict[str, Any]:
    """Raw sums as figures: PostgreSQL sums integers as numeric, shown here as integers."""
    return {
        name: value if name == "conversion_value" else int(value)
        for name, value in zip(SUM_NAMES, values, strict=True)
    }


DayNetwork = dict[tuple[date, str], dict[str, Any]]


def by_day_and_network(rows: QuerySet[Any]) -> DayNetwork:
    """The counters summed per day and network: one read that serves the trend, the
    period's totals, the previous period's and the values per network.

    Raw rows (a few thousand at most: days × networks); SQLite gives days as text, and
    each conversion value is rounded to the cent as the ORM would before adding it up.
    """
    found: DayNetwork = {}
    query = rows.values_list("day", "network").annotate(**SUMS).order_by()
    for day, network, *values in raw_rows(query):
        figures = as_figures(values)
        figures["conversion_value"] = Decimal(str(figures["conversion_value"] or 0)).quantize(CENT)
        found[(day if isinstance(day, date) else date.fromisoformat(day), network)] = figures
    return found


def per_day(sums: DayNetwork, network: str = "") -> dict[date, dict[str, Any]]:
    """Figures per day from sums per day and network (of one network only, if given)."""
    days: dict[date, dict[str, Any]] = {}
    for (day, of_network), counters in sums.items():
        if not network or of_network == network:
            add_to(days.setdefault(day, {}), counters)
    return {day: derived(counters) for day, counters in days.items()}


def per_network(sums: DayNetwork, start: date, end: date, network: str = "") -> dict[str, Any]:
    """Figures per network over ``start``–``end`` from sums per day and network."""
    networks: dict[str, dict[str, Any]] = {}
    for (day, of_network), counters in sums.items():
        if start <= day <= end and (not network or of_network == network):
            add_to(networks.setdefault(of_network, {}), counters)
    return {name: derived(counters) for name, counters in networks.items()}


def add_to(total: dict[str, int], row: Mapping[str, int]) -> None:
    for name, amount in row.items():
        total[name] = total.get(name, 0) + amount
