"""Demo data: the brand's own accounts and one rate of its own, then the daily figures."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from ambassade.analytics import rollup
from ambassade.analytics.models import BrandAccount, MediaRate
from ambassade.core.demo import DemoContext, demo_step

# Groupe Verdier's own accounts: the baseline of the amplification figure.
BRAND_ACCOUNTS = [
    ("linkedin", "Groupe Verdier", 12_000),
    ("x", "@GroupeVerdier", 4_500),
    ("bluesky", "@verdier.example", 800),
    ("mastodon", "@verdier@mastodon.social", 300),
]


@demo_step(48)
def brand_accounts_and_rates(context: DemoContext) -> None:
    """Before the rollup (50): the settings page shows accounts and one "set by you" rate."""
    organisation = context.objects["organisation"]
    BrandAccount.objects.bulk_create(
        BrandAccount(
            organisation=organisation,
            network=network,
            handle=handle,
            followers=followers,
            measured_on=context.today - timedelta(days=14),
        )
        for network, handle, followers in BRAND_ACCOUNTS
    )
    MediaRate.objects.create(
        organisation=organisation,
        network="linkedin",
        cost_per_click=Decimal("4.50"),
        cost_per_mille=Decimal("28.00"),
    )
    context.progress(f"analytics: {len(BRAND_ACCOUNTS)} brand accounts, LinkedIn's rates")


@demo_step(50)
def analytics(context: DemoContext) -> None:
    written = rollup.rebuild(since=context.today - timedelta(days=max(context.days, 1)))
    context.progress(f"analytics: {written} daily rows")
