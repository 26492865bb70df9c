"""Background work: posting featured content and retrying it, the weekly summary on
Monday morning, and forgetting old deliveries.

No HTTP call is made inside a database transaction. The weekly summary is claimed on
its channel first (a compare-and-set on ``summary_claimed_at``), so two runs of the
hourly job never both post it; a claim left by a killed worker expires after
sending.STALE_AFTER.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django_tasks import task

from ambassade.chat_channels import delivery, sending
from ambassade.chat_channels.models import ChatChannel, ChatDelivery, What
from ambassade.chat_channels.posts import summary_post
from ambassade.core.models import Organisation
from ambassade.core.periodic import every

logger = logging.getLogger(__name__)

# Monday morning in the organisation's time zone; a failure worth retrying is tried
# again each hour until noon.
SUMMARY_HOURS = range(8, 12)
KEEP_DELIVERIES = timedelta(days=30)


def summary_monday(organisation: Organisation, now: datetime) -> date | None:
    """The organisation's Monday if it is Monday morning there, else None."""
    try:
        zone = zoneinfo.ZoneInfo(organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = now.astimezone(zone)
    if local.weekday() != 0 or local.hour not in SUMMARY_HOURS:
        return None
    return local.date()


def send_summaries(now: datetime | None = None) -> int:
    """Posts the week's summary to every channel due; returns how many were delivered."""
    now = now or timezone.now()
    due = ChatChannel.objects.filter(send_weekly=True, enabled=True, paused_at__isnull=True)
    delivered = 0
    organisations = Organisation.objects.filter(pk__in=due.values("organisation_id"))
    for organisation in organisations:
        monday = summary_monday(organisation, now)
        if monday is None:
            continue
        channels = due.filter(organisation=organisation).filter(
            Q(last_summary_week__isnull=True) | Q(last_summary_week__lt=monday)
        )
        for channel in channels.select_related("program", "organisation"):
            if not _claim_summary(channel, monday, now):
                continue  # another run is posting it, or has just done so
            with translation.override(organisation.default_language or "en"):
                outcome = delivery.send(channel, summary_post(channel.program, monday))
            with transaction.atomic():
                channel = ChatChannel.objects.select_for_update().get(pk=channel.pk)
                delivery.record(channel, What.WEEKLY, outcome)
                channel.summary_claimed_at = None
                if not outcome.retryable:  # sent, or refused for good: done for the week
                    channel.last_summary_week = monday
                channel.save(update_fields=["last_summary_week", "summary_claimed_at"])
            delivered += outcome.ok
    return delivered


def _claim_summary(channel: ChatChannel, monday: date, now: datetime) -> bool:
    """True if this run may post the week's summary to the channel (and no other may)."""
    with transaction.atomic():
        claimed = (
            ChatChannel.objects.filter(pk=channel.pk)
            .filter(Q(last_summary_week__isnull=True) | Q(last_summary_week__lt=monday))
            .filter(
                Q(summary_claimed_at__isnull=True)
                | Q(summary_claimed_at__lt=now - sending.STALE_AFTER)
            )
            .update(summary_claimed_at=now)
        )
    return bool(claimed)


@task()
def send_featured(delivery_id: int) -> str:
    """Posts one featured item to one channel if it is due (sending.py)."""
    return sending.send(delivery_id)


@every(minutes=1)
@task()
def retry_due_deliveries() -> int:
    """Queues the featured posts due again (failed tries, and those never sent)."""
    due = sending.due()
    sending.queue(due)
    return len(due)


@every(hours=1)
@task()
def send_weekly_summaries() -> int:
    return send_summaries()


@every(days=1)
@task()
def forget_old_deliveries() -> int:
    cutoff = timezone.now() - KEEP_DELIVERIES
    old = ChatDelivery.objects.filter(at__lt=cutoff)
    # A post still being tried is kept until it ends (at most about two hours more).
    old = old.exclude(status__in=[ChatDelivery.Status.PENDING, ChatDelivery.Status.SENDING])
    deleted, _by_model = old.delete()
    return deleted
