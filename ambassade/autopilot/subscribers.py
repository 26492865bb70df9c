"""The autopilot hears of published items through the domain event (docs/events.md)."""

from __future__ import annotations

from ambassade.autopilot.queueing import queue_item
from ambassade.content.models import ContentItem
from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent


@subscribe("content.item_published")
def queue_autopilot_posts(event: DomainEvent) -> None:
    item = (
        ContentItem.objects.filter(
            organisation_id=event.organisation_id or 0, pk=event.payload.get("item_id")
        )
        .select_related("program", "organisation")
        .first()
    )
    if item is not None:
        queue_item(item, event.pk)
