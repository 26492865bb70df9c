"""How a table cell reads on the page; exports keep the raw values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import date_format, number_format

from ambassade.analytics.tables import DATE, DECIMAL, INT, MONEY, PERCENT, Column

register = template.Library()


def _short(value: Any) -> str:
    """Up to two decimals, none for whole numbers: 12, 66.7, 1,234.56."""
    number = Decimal(value).quantize(Decimal("0.01")).normalize()
    places = max(0, -int(number.as_tuple().exponent))
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def cell(value: Any, column: Column) -> str:
    if value is None or value == "":
        return "—"
    if column.kind == DATE and isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if column.kind == INT:
        return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
    if column.kind == MONEY:
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if column.kind == PERCENT:
        return _short(value) + " %"
    if column.kind == DECIMAL:
        return _short(value)
    return str(value)


@register.filter
def change(current: Any, previous: Any) -> str | None:
    """ "+12.5 %" against the previous period; None when it had nothing to compare with."""
    from ambassade.analytics.figures import change as compute

    delta = compute(current or 0, previous or 0)
    if delta is None:
        return None
    sign = "+" if delta > 0 else ""
    return sign + number_format(delta, decimal_pos=1, use_l10n=True) + " %"


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def subtract(value: int, amount: int) -> int:
    """How many are missing: a group's threshold minus its size (the masked groups' note)."""
    return int(value) - int(amount)
