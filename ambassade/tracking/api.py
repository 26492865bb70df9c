"""Tracked links under /api/v1/: links with their counters, and conversions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ApiError, ErrorResponse, PagePagination, permit
from ambassade.core.api_types import Amount, Code, Id, InputSchema, Moment, Name
from ambassade.tracking import actions
from ambassade.tracking.models import DailyLinkStats, TrackedLink
from ambassade.tracking.views import links_with_totals

router = Router(tags=["tracked links"])


class LinkOut(Schema):
    id: int
    code: str
    short_url: str
    destination: str
    person_id: int | None
    network: str
    campaign: str
    content_item_id: int | None
    share_target_id: int | None
    created_at: datetime
    withdrawn_at: datetime | None
    human_clicks_30_days: int
    unique_visitors_30_days: int
    previews_30_days: int
    bots_30_days: int
    self_clicks_30_days: int
    conversions: int

    @staticmethod
    def resolve_short_url(link: TrackedLink) -> str:
        return actions.short_url(link)

    @staticmethod
    def resolve_human_clicks_30_days(link: Any) -> int:
        return int(link.human_clicks)

    @staticmethod
    def resolve_unique_visitors_30_days(link: Any) -> int:
        return int(link.unique_visitors)

    @staticmethod
    def resolve_previews_30_days(link: Any) -> int:
        return int(link.previews)

    @staticmethod
    def resolve_bots_30_days(link: Any) -> int:
        return int(link.bots)

    @staticmethod
    def resolve_self_clicks_30_days(link: Any) -> int:
        return int(link.self_clicks)

    @staticmethod
    def resolve_conversions(link: Any) -> int:
        return int(link.conversion_count)


class DailyStatsOut(Schema):
    day: date
    human_clicks: int
    unique_visitors: int
    previews: int
    bots: int
    self_clicks: int
    prefetches: int
    floods: int


@router.get("/links", response=list[LinkOut])
@paginate(PagePagination)
def list_links(request: HttpRequest, network: str | None = None) -> QuerySet[TrackedLink]:
    """Links, newest first, with their counters over the last 30 days (UTC)."""
    actor = permit(request, "links.view")
    links = links_with_totals(actor.organisation.pk).select_related(
        "organisation__tracking_settings"
    )
    if network:
        links = links.filter(network=network)
    return links


@router.get("/links/{link_id}/stats", response=list[DailyStatsOut])
def link_stats(request: HttpRequest, link_id: Id, days: int = 30) -> QuerySet[DailyLinkStats]:
    """The link's daily counters (UTC days, newest first), up to 366 days back."""
    actor = permit(request, "links.view")
    link = get_object_or_404(TrackedLink, pk=link_id, organisation=actor.organisation)
    days = max(1, min(days, 366))
    return DailyLinkStats.objects.filter(link=link).order_by("-day")[:days]


class ConversionIn(InputSchema):
    reference: Name = Field(..., max_length=40, description="The link's attribution reference")
    kind: Code = Field(..., max_length=16, description="application, lead, signup or other")
    idempotency_key: Name = Field(..., max_length=100, description="Your identifier of it")
    value: Amount | None = Field(None, description="Optional amount")
    currency: Code = Field("", max_length=3)
    occurred_at: Moment | None = None


class ConversionOut(Schema):
    id: int
    reference: str
    kind: str
    network: str
    content_item_id: int | None
    value: Decimal | None
    currency: str
    occurred_at: datetime
    replayed: bool


@router.post(
    "/conversions",
    response={200: ConversionOut, 201: ConversionOut, 404: ErrorResponse, 409: ErrorResponse},
)
def report_conversion(request: HttpRequest, data: ConversionIn) -> Status:
    """Reports a conversion (career site, CRM): 201 when recorded, 200 when the same
    idempotency key was already recorded with the same details (nothing is counted twice),
    404 ``unknown_reference``, 409 ``idempotency_conflict``."""
    actor = permit(request, "conversions.report")
    try:
        reported = actions.report_conversion(
            organisation=actor.organisation,
            reference=data.reference,
            kind=data.kind,
            idempotency_key=data.idempotency_key,
            value=data.value,
            currency=data.currency,
            occurred_at=data.occurred_at,
        )
    except actions.ConversionError as error:
        raise ApiError(error.status, error.code, error.message) from None
    conversion = reported.conversion
    body = {
        "id": conversion.pk,
        "reference": data.reference,
        "kind": conversion.kind,
        "network": conversion.network,
        "content_item_id": conversion.content_item_id,
        "value": conversion.value,
        "currency": conversion.currency,
        "occurred_at": conversion.occurred_at,
        "replayed": reported.replayed,
    }
    return Status(200 if reported.replayed else 201, body)
