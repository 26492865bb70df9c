"""What sharing does when something happens below it (core/events.py, docs/events.md)."""

from __future__ import annotations

from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.sharing.actions import withdrawal


@subscribe("content.item_archived")
def cancel_posts_of_archived_item(event: DomainEvent) -> None:
    assert event.organisation is not None
    withdrawal.cancel_item_targets(
        event.organisation, event.payload["item_id"], withdrawal.ARCHIVED
    )


@subscribe("content.item_expired")
def cancel_posts_of_expired_item(event: DomainEvent) -> None:
    assert event.organisation is not None
    withdrawal.cancel_item_targets(event.organisation, event.payload["item_id"], withdrawal.EXPIRED)
