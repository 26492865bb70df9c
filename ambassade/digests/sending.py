"""Sends the digests a batch claimed, over one SMTP connection.

A claim whose mail fails is logged and left unsent, not retried: at most one digest per
person and period is the promise; a missed week is better than a doubled one.
"""

from __future__ import annotations

import logging

from django.core.mail import get_connection
from django.utils import timezone

from ambassade.content.models import ContentItem
from ambassade.digests import actions, message, selectors
from ambassade.digests.models import DigestSent, DigestSubscription

logger = logging.getLogger(__name__)


def send_claimed(sent_ids: list[int]) -> int:
    now = timezone.now()
    claims = list(
        DigestSent.objects.filter(
            pk__in=sent_ids, sent_at__isnull=True, claimed_at__gte=actions.recent_cutoff(now)
        ).select_related("person__organisation", "person__user")
    )
    if not claims:
        return 0
    subscriptions = {
        row.person_id: row
        for row in DigestSubscription.objects.filter(person_id__in=[c.person_id for c in claims])
    }
    items = ContentItem.objects.in_bulk({pk for claim in claims for pk in claim.item_ids})
    sent = 0
    with get_connection() as connection:
        for claim in claims:
            subscription = subscriptions.get(claim.person_id)
            chosen = [items[pk] for pk in claim.item_ids if pk in items]
            if subscription is None or subscription.unsubscribed_at or not chosen:
                continue  # unsubscribed since the claim, or the items were deleted
            if not actions.take(claim.pk):
                continue  # another worker runs the same batch (a task delivered twice)
            person = claim.person
            mail = message.build(
                person, subscription, chosen, selectors.week_of(person, timezone.localdate(now))
            )
            mail.connection = connection
            try:
                mail.send()
            except Exception:
                logger.exception("digest not sent", extra={"digest": claim.pk})
                actions.give_back(claim.pk)
                continue
            sent += 1
    return sent
