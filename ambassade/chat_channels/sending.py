"""Posting featured content to a channel: one delivery row, claimed, sent, then recorded.

The subscriber writes one PENDING row per channel and event (subscribers.py) and queues
``send`` after its commit. ``send`` claims the row with a compare-and-set (PENDING and
due -> SENDING), makes the HTTP call outside any database transaction, then writes the
outcome in a short one. So one channel's failure never rolls back another's success,
and no write lock is held while Slack or Teams answers.

A failure worth retrying (5xx, 429, no answer) puts the row back to PENDING with
``next_attempt_at`` after BACKOFF; the periodic job ``retry_due_deliveries`` (tasks.py)
queues the rows due. After MAX_ATTEMPTS (about two hours) the failure is final and
counts towards the channel's pause (delivery.record_on_channel), as a 4xx does at once.

A row left SENDING by a worker killed mid-call is claimed again after STALE_AFTER: the
message may then be posted twice, since a chat webhook has no idempotency key
(docs/decisions/0028-slack-and-teams.md).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from ambassade.chat_channels import delivery
from ambassade.chat_channels.models import ChatChannel, ChatDelivery, What
from ambassade.chat_channels.posts import featured_post
from ambassade.content.models import ContentItem
from ambassade.core.models import DomainEvent

logger = logging.getLogger(__name__)

# Waits before the 2nd … 8th try: 1 + 2 + 4 + … + 64 minutes, about two hours in all.
BACKOFF = [timedelta(minutes=2**n) for n in range(7)]
MAX_ATTEMPTS = len(BACKOFF) + 1
# Far longer than one call may take (delivery.TIMEOUT_SECONDS): the worker is gone.
STALE_AFTER = timedelta(minutes=5)


def _claimable(now: datetime) -> Q:
    due = Q(status=ChatDelivery.Status.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=ChatDelivery.Status.SENDING, claimed_at__lt=now - STALE_AFTER)
    return due | abandoned


def claim(delivery_id: int, now: datetime) -> ChatDelivery | None:
    """The row, now SENDING and ours, or None if another worker has it or it is not due."""
    with transaction.atomic():
        claimed = (
            ChatDelivery.objects.filter(_claimable(now), pk=delivery_id)
            .filter(what=What.FEATURED)
            .update(
                status=ChatDelivery.Status.SENDING,
                claimed_at=now,
                attempts=F("attempts") + 1,
            )
        )
    if not claimed:
        return None
    return ChatDelivery.objects.select_related("channel__organisation", "channel__program").get(
        pk=delivery_id
    )


def _live_item(row: ChatDelivery) -> ContentItem | None:
    """The item still featured and live now, else None (it is then not posted)."""
    if row.event_id is None:
        return None
    payload = DomainEvent.objects.filter(pk=row.event_id).values_list("payload", flat=True).first()
    if not payload:
        return None
    item = ContentItem.objects.filter(
        organisation_id=row.organisation_id, pk=payload.get("item_id")
    ).first()
    if item is None or not item.featured or not item.is_live:
        return None
    return item


def send(delivery_id: int) -> str:
    """Posts one featured item to one channel if it is due; returns what happened."""
    now = timezone.now()
    row = claim(delivery_id, now)
    if row is None:
        return "not due"
    channel = row.channel
    item = _live_item(row)
    if item is None or not (channel.active and channel.send_featured):
        ChatDelivery.objects.filter(pk=row.pk).update(
            status=ChatDelivery.Status.CANCELLED, next_attempt_at=None
        )
        return "cancelled"
    last_attempt = row.attempts >= MAX_ATTEMPTS
    with translation.override(channel.organisation.default_language or "en"):
        outcome = delivery.send(channel, featured_post(item), will_retry=not last_attempt)
    return _record(row, outcome, last_attempt)


def _record(row: ChatDelivery, outcome: delivery.Outcome, last_attempt: bool) -> str:
    fields = {
        "status_code": outcome.status,
        "ok": outcome.ok,
        "error": "" if outcome.ok else outcome.message[:500],
        "claimed_at": None,
    }
    with transaction.atomic():
        if outcome.retryable and not last_attempt:
            ChatDelivery.objects.filter(pk=row.pk).update(
                status=ChatDelivery.Status.PENDING,
                next_attempt_at=timezone.now() + BACKOFF[row.attempts - 1],
                **fields,
            )
            return "retry"
        ChatDelivery.objects.filter(pk=row.pk).update(
            status=ChatDelivery.Status.DONE, next_attempt_at=None, **fields
        )
        channel = ChatChannel.objects.select_for_update().get(pk=row.channel_id)
        delivery.record_on_channel(channel, outcome)
    return "delivered" if outcome.ok else "failed"


def due(now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    rows = ChatDelivery.objects.filter(_claimable(now), what=What.FEATURED)
    return list(rows.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])


def queue(delivery_ids: list[int]) -> None:
    """Queues the sending of these rows (call it on commit)."""
    from ambassade.chat_channels.tasks import send_featured

    for delivery_id in delivery_ids:
        try:
            send_featured.enqueue(delivery_id)
        except Exception:  # the queue is down: the periodic job sends it later
            logger.exception("chat delivery not queued", extra={"chat_delivery": delivery_id})
