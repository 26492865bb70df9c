"""A career site's application on a referral's link moves the referral to "applied"."""

from __future__ import annotations

from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.referrals.actions import NETWORK, mark_applied


@subscribe("tracking.conversion_reported")
def application_reported(event: DomainEvent) -> None:
    payload = event.payload
    if payload.get("kind") != "application" or payload.get("network") != NETWORK:
        return
    mark_applied(event.organisation_id or 0, payload.get("link_id"), event.occurred_at)
