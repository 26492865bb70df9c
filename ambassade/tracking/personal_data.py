"""What tracked links know about a person (the sharer): their links and what they brought.

Visitors are anonymous (no address, a hash with a salt deleted the next day), so there
is nothing to export or erase about them. An anonymised person's links keep counting
under "Former employee".
"""

from __future__ import annotations

from typing import Any

from django.db.models import Sum

from ambassade.core.personal_data import exporter
from ambassade.people.models import Person
from ambassade.tracking.models import TrackedLink


@exporter("tracked_links")
def export_tracked_links(person: Person) -> list[dict[str, Any]]:
    links = (
        TrackedLink.objects.filter(person=person)
        .annotate(
            human_clicks=Sum("daily_stats__human_clicks", default=0),
            previews=Sum("daily_stats__previews", default=0),
        )
        .order_by("created_at", "id")
    )
    return [
        {
            "code": link.code,
            "network": link.network,
            "destination": link.destination,
            "content_item_id": link.content_item_id,
            "created_at": link.created_at.isoformat(),
            "withdrawn_at": link.withdrawn_at.isoformat() if link.withdrawn_at else None,
            "human_clicks": link.human_clicks,
            "previews": link.previews,
        }
        for link in links
    ]
