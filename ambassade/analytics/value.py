"""Earned media value and amplification: the two figures people ask to have explained.

Earned media value, per network = human clicks × cost per click
                                 + impressions ÷ 1,000 × cost per thousand impressions.
Both rates are the organisation's (``MediaRate``); until it sets them, the defaults
below apply and the pages say so. Impressions count only where the network reports them.

Amplification = potential reach of the ambassadors' shares ÷ audience of the brand's own
accounts (``BrandAccount``), per network when both are known.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from ambassade.analytics.models import AnalyticsSettings, BrandAccount, MediaRate
from ambassade.core.models import Organisation
from ambassade.sharing.networks.base import REGISTRY
from ambassade.sharing.registry import display_name
from ambassade.sharing.share_links import share_networks

# Typical public rates for promoted posts (2025, EUR): LinkedIn's clicks are the dearest;
# networks without an advertising market (Bluesky, Mastodon, messaging, e-mail) get a
# modest proxy, to be replaced by the organisation's own figures.
DEFAULT_RATES: dict[str, tuple[Decimal, Decimal]] = {
    "linkedin": (Decimal("5.00"), Decimal("30.00")),
    "x": (Decimal("0.80"), Decimal("6.00")),
    "facebook": (Decimal("0.90"), Decimal("9.00")),
    "xing": (Decimal("2.50"), Decimal("15.00")),
    "reddit": (Decimal("0.75"), Decimal("4.00")),
}
PROXY_RATE = (Decimal("0.50"), Decimal("4.00"))
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rate:
    network: str
    cost_per_click: Decimal
    cost_per_mille: Decimal
    is_default: bool


def default_rate(network: str) -> Rate:
    cpc, cpm = DEFAULT_RATES.get(network, PROXY_RATE)
    return Rate(network, cpc, cpm, is_default=True)


def rates_for(organisation: Organisation | int) -> dict[str, Rate]:
    """The organisation's own rates; ``rate(rates, network)`` falls back to the default."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return {
        rate.network: Rate(rate.network, rate.cost_per_click, rate.cost_per_mille, False)
        for rate in MediaRate.objects.filter(organisation_id=organisation_id)
    }


def rate(rates: dict[str, Rate], network: str) -> Rate:
    return rates.get(network) or default_rate(network)


def earned_media_value(rate: Rate, human_clicks: int, impressions: int) -> Decimal:
    value = human_clicks * rate.cost_per_click + Decimal(impressions) / 1000 * rate.cost_per_mille
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def brand_audience(organisation: Organisation | int) -> dict[str, int]:
    """Followers of the brand's own accounts, per network."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return {
        row["network"]: row["followers"] or 0
        for row in BrandAccount.objects.filter(organisation_id=organisation_id)
        .values("network")
        .annotate(followers=Sum("followers"))
        .order_by()
    }


def amplification(potential_reach: int, brand_followers: int) -> Decimal | None:
    """How many times the brand's own audience the ambassadors' shares could reach."""
    if not brand_followers:
        return None
    return (Decimal(potential_reach) / brand_followers).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def known_networks() -> list[str]:
    """Every network a rate or a brand account may name: API and share-link networks."""
    codes = set(REGISTRY) | {link.code for link in share_networks()}
    return sorted(codes, key=lambda code: display_name(code).casefold())


def settings_for(organisation: Organisation | int) -> AnalyticsSettings:
    """The organisation's analytics settings, unsaved defaults if it never changed them."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    found = AnalyticsSettings.objects.filter(organisation_id=organisation_id).first()
    return found or AnalyticsSettings(organisation_id=organisation_id)
