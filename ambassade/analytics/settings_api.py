"""The analytics settings under /api/v1/analytics/: the same actions as the settings page.

Reading needs ``analytics.view``; every write ``analytics.settings``. The actions' rules
answer 422 with the field at fault in ``details``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from ambassade.analytics import actions
from ambassade.analytics.models import BrandAccount
from ambassade.analytics.value import known_networks, rate, rates_for, settings_for
from ambassade.core.api import ErrorResponse, permit
from ambassade.core.api_types import Amount, Code, Count, Day, Id, InputSchema, Name
from ambassade.core.authz import Actor
from ambassade.sharing.registry import display_name

router = Router(tags=["analytics"])

ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class RateOut(Schema):
    network: str
    name: str
    cost_per_click: Decimal
    cost_per_mille: Decimal
    is_default: bool


class BrandAccountOut(Schema):
    id: int
    network: str
    handle: str
    followers: int
    measured_on: date


class AnalyticsSettingsOut(Schema):
    currency: str
    small_group: int
    rates: list[RateOut]
    brand_accounts: list[BrandAccountOut]


class AnalyticsSettingsIn(InputSchema):
    currency: Code = Field(..., max_length=3)
    small_group: Count


class RateIn(InputSchema):
    cost_per_click: Amount
    cost_per_mille: Amount


class BrandAccountIn(InputSchema):
    network: Code = Field(..., max_length=32)
    handle: Name = Field(..., max_length=200)
    followers: Count
    measured_on: Day


class BrandAccountChange(InputSchema):
    followers: Count
    measured_on: Day | None = None  # today when left out


def _rate_out(network: str, rates: dict[str, Any]) -> dict[str, Any]:
    current = rate(rates, network)
    return {
        "network": network,
        "name": display_name(network),
        "cost_per_click": current.cost_per_click,
        "cost_per_mille": current.cost_per_mille,
        "is_default": current.is_default,
    }


def _settings_out(actor: Actor) -> dict[str, Any]:
    options = settings_for(actor.organisation)
    rates = rates_for(actor.organisation)
    return {
        "currency": options.currency,
        "small_group": options.small_group,
        "rates": [_rate_out(code, rates) for code in known_networks()],
        "brand_accounts": list(BrandAccount.objects.filter(organisation=actor.organisation)),
    }


@router.get("/analytics/settings", response={200: AnalyticsSettingsOut, **ERRORS})
def get_settings(request: HttpRequest) -> dict[str, Any]:
    """Currency, smallest group shown, every network's rates and the brand accounts."""
    return _settings_out(permit(request, "analytics.view"))


@router.put("/analytics/settings", response={200: AnalyticsSettingsOut, **ERRORS})
def put_settings(request: HttpRequest, payload: AnalyticsSettingsIn) -> dict[str, Any]:
    actor = permit(request, "analytics.settings")
    actions.update_settings(actor, payload.currency, payload.small_group)
    return _settings_out(actor)


@router.put("/analytics/rates/{network}", response={200: RateOut, **ERRORS})
def put_rate(request: HttpRequest, network: str, payload: RateIn) -> dict[str, Any]:
    """The organisation's own rates for a network, in place of the default."""
    actor = permit(request, "analytics.settings")
    saved = actions.set_media_rate(actor, network, payload.cost_per_click, payload.cost_per_mille)
    return _rate_out(saved.network, rates_for(actor.organisation))


@router.delete("/analytics/rates/{network}", response={200: RateOut, **ERRORS})
def delete_rate(request: HttpRequest, network: str) -> dict[str, Any]:
    """Back to the default rates; answers them."""
    actor = permit(request, "analytics.settings")
    actions.reset_media_rate(actor, network)
    return _rate_out(network.strip().lower(), {})  # the code as the action read it


@router.post("/analytics/brand-accounts", response={201: BrandAccountOut, **ERRORS})
def add_brand_account(request: HttpRequest, payload: BrandAccountIn) -> Status:
    actor = permit(request, "analytics.settings")
    account = actions.add_brand_account(
        actor, payload.network, payload.handle, payload.followers, payload.measured_on
    )
    return Status(201, account)


@router.patch("/analytics/brand-accounts/{account_id}", response={200: BrandAccountOut, **ERRORS})
def change_brand_account(
    request: HttpRequest, account_id: Id, payload: BrandAccountChange
) -> BrandAccount:
    """A new count of an account's followers."""
    actor = permit(request, "analytics.settings")
    account = get_object_or_404(BrandAccount, organisation=actor.organisation, pk=account_id)
    measured_on = payload.measured_on or timezone.localdate()
    return actions.change_brand_account(actor, account, payload.followers, measured_on)


@router.delete("/analytics/brand-accounts/{account_id}", response={204: None, **ERRORS})
def remove_brand_account(request: HttpRequest, account_id: Id) -> Status:
    actor = permit(request, "analytics.settings")
    account = get_object_or_404(BrandAccount, organisation=actor.organisation, pk=account_id)
    actions.remove_brand_account(actor, account)
    return Status(204, None)
