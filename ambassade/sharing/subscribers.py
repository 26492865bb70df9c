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


@subscribe("people.alumni_offer_ended")
def close_sharing_of_former_alumni(event: DomainEvent) -> None:
    from ambassade.sharing.actions.alumni_end import close_alumni_sharing

    assert event.organisation is not None
    close_alumni_sharing(event.organisation, event.payload["person_id"])


@subscribe("content.item_expired")
def cancel_posts_of_expired_item(event: DomainEvent) -> None:
    assert event.organisation is not None
    withdrawal.cancel_item_targets(event.organisation, event.payload["item_id"], withdrawal.EXPIRED)
