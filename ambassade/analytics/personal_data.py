"""What the analytics know about a person: their daily figures, derived from their shares.

The rows are derived from data the sharing and tracking apps already export and
anonymise; an anonymised person's rows keep counting in the program's totals, as
their links do.
"""

from __future__ import annotations

from typing import Any

from ambassade.analytics.models import DailyShareStats
from ambassade.core.personal_data import exporter
from ambassade.people.models import Person


@exporter("daily_figures")
def export_daily_figures(person: Person) -> list[dict[str, Any]]:
    rows = DailyShareStats.objects.filter(person=person).order_by("day", "id")
    return [
        {
            "day": row.day.isoformat(),
            "program_id": row.program_id,
            "item_id": row.item_id,
            "network": row.network,
            "shares_published": row.shares_published,
            "shares_declared": row.shares_declared,
            "human_clicks": row.human_clicks,
            "unique_visitors": row.unique_visitors,
            "potential_reach": row.potential_reach,
            "likes": row.likes,
            "reposts": row.reposts,
            "replies": row.replies,
            "conversions": row.conversions,
            "conversion_value": str(row.conversion_value),
        }
        for row in rows
    ]
