"""Featured content goes to the Slack and Teams channels of its programs.

The subscriber only writes one PENDING delivery per channel and event (a unique
constraint; a second run adds nothing) and queues their sending after the commit.
The posts themselves are made by a task, outside any transaction (sending.py), so a
slow or failing channel never holds up the event spine nor undoes another's post.
"""

from __future__ import annotations

from django.db import transaction

from ambassade.chat_channels import sending
from ambassade.chat_channels.models import ChatChannel, ChatDelivery, What
from ambassade.content.models import ContentItem
from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent


def create_deliveries(event: DomainEvent) -> list[int]:
    """The deliveries of this event, created once; returns the ids of those created now."""
    organisation = event.organisation
    if organisation is None:
        return []
    # What the database says now: an item archived or unfeatured since is not posted.
    item = ContentItem.objects.filter(
        organisation=organisation, pk=event.payload["item_id"]
    ).first()
    if item is None or not item.featured or not item.is_live:
        return []
    program_ids = event.payload.get("program_ids") or []
    channels = ChatChannel.objects.filter(
        organisation=organisation, send_featured=True, enabled=True, paused_at__isnull=True
    )
    if program_ids:
        channels = channels.filter(program_id__in=program_ids)
    already = ChatDelivery.objects.filter(event_id=event.pk).values("channel_id")
    created = []
    for channel in channels.exclude(pk__in=already):
        row = ChatDelivery.objects.create(
            organisation=organisation,
            channel=channel,
            what=What.FEATURED,
            event_id=event.pk,
            subject=item.title[:300],
            status=ChatDelivery.Status.PENDING,
            next_attempt_at=event.occurred_at,
        )
        created.append(row.pk)
    return created


@subscribe("content.item_featured")
def post_featured_item(event: DomainEvent) -> None:
    created = create_deliveries(event)
    if created:
        transaction.on_commit(lambda: sending.queue(created))
