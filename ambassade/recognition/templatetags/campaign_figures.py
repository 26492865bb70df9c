"""The program dashboard's campaign view: ``{% recent_campaigns program as campaigns %}``
gives the program's current and recent campaigns with their figures against their goals."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from django import template
from django.utils import timezone

from ambassade.recognition.models import Campaign
from ambassade.recognition.progress import CampaignFigures, campaign_figures

register = template.Library()
# Campaigns ended longer ago than this are on the campaigns page only.
RECENT = timedelta(days=60)


@register.simple_tag
def recent_campaigns(program: Any) -> list[CampaignFigures]:
    today = timezone.now().astimezone(UTC).date()
    campaigns = Campaign.objects.filter(
        program=program, archived=False, ends_on__gte=today - RECENT
    ).select_related("program")
    return [campaign_figures(campaign) for campaign in campaigns.order_by("starts_on", "pk")[:10]]
