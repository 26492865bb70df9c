"""Periodic jobs: the weekly summary on Monday morning, and forgetting old deliveries."""

from __future__ import annotations

import logging
import zoneinfo
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django_tasks import task

from ambassade.chat_channels import delivery
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
            with translation.override(organisation.default_language or "en"):
                outcome = delivery.send(channel, summary_post(channel.program, monday))
            with transaction.atomic():
                channel = ChatChannel.objects.select_for_update().get(pk=channel.pk)
                delivery.record(channel, What.WEEKLY, outcome)
                if not outcome.retryable:  # sent, or refused for good: done for the week
                    channel.last_summary_week = monday
                    channel.save(update_fields=["last_summary_week"])
            delivered += outcome.ok
    return delivered


@every(hours=1)
@task()
def send_weekly_summaries() -> int:
    return send_summaries()


@every(days=1)
@task()
def forget_old_deliveries() -> int:
    cutoff = timezone.now() - KEEP_DELIVERIES
    deleted, _by_model = ChatDelivery.objects.filter(at__lt=cutoff).delete()
    return deleted
