"""Featured content goes to the Slack and Teams channels of its programs.

Retries are the event spine's (core/events.py): a failure worth retrying (5xx, 429, no
answer) raises, the subscriber's writes are rolled back, and the spine runs it again
(1, 2, 4 … minutes). Channels already served for this event are skipped, so a retry
posts only where the message is missing — except that a channel served in the same,
failed attempt is rolled back with it and served again (see docs/decisions/0028).
After GIVE_UP_AFTER attempts the failure is recorded on the channel instead, where it
counts towards the pause.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import translation

from ambassade.chat_channels import delivery
from ambassade.chat_channels.models import ChatChannel, ChatDelivery, What
from ambassade.chat_channels.posts import featured_post
from ambassade.content.models import ContentItem
from ambassade.core.events import subscribe, subscriber_key
from ambassade.core.models import DomainEvent, EventDelivery

# 1 + 2 + 4 + … + 64 minutes: about two hours of trying before a failure is recorded.
GIVE_UP_AFTER = 8


def _attempt(event: DomainEvent, function: object) -> int:
    found = EventDelivery.objects.filter(event=event, subscriber=subscriber_key(function))  # type: ignore[arg-type]
    return found.values_list("attempts", flat=True).first() or 1


@subscribe("content.item_featured")
def post_featured_item(event: DomainEvent) -> None:
    organisation = event.organisation
    if organisation is None:
        return
    # What the database says now: an item archived or unfeatured since is not posted.
    item = ContentItem.objects.filter(
        organisation=organisation, pk=event.payload["item_id"]
    ).first()
    if item is None or not item.featured or not item.is_live:
        return
    program_ids = event.payload.get("program_ids") or []
    channels = ChatChannel.objects.filter(
        organisation=organisation, send_featured=True, enabled=True, paused_at__isnull=True
    ).select_related("program", "organisation")
    if program_ids:
        channels = channels.filter(program_id__in=program_ids)
    served = ChatDelivery.objects.filter(event_id=event.pk).filter(
        Q(ok=True) | Q(status_code__gte=400, status_code__lt=500)
    )
    channels = channels.exclude(pk__in=served.values("channel_id"))
    last_attempt = _attempt(event, post_featured_item) >= GIVE_UP_AFTER
    failed = []
    with translation.override(organisation.default_language or "en"):
        post = featured_post(item)
        for channel in channels:
            outcome = delivery.send(channel, post, will_retry=not last_attempt)
            if outcome.retryable and not last_attempt:
                failed.append(f"{channel.pk}: {outcome.message}")
                continue
            delivery.record(channel, What.FEATURED, outcome, event_id=event.pk)
    if failed:
        raise delivery.RetryLater("; ".join(failed))
