"""What tracking does when something happens elsewhere (core/events.py, docs/events.md).

An archived or expired item's links are withdrawn: visitors then get "410 Gone" or the
organisation's fallback page, as its tracking settings say (lookup.py).
"""

from __future__ import annotations

from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.tracking.actions import withdraw_item_links


@subscribe("content.item_archived")
@subscribe("content.item_expired")
def withdraw_links_of_item(event: DomainEvent) -> None:
    assert event.organisation is not None
    withdraw_item_links(event.organisation, event.payload["item_id"])
