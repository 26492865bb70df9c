"""What referrals reads: counts per offer, and the rows each reader may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from ambassade.content.models import ContentItem, Kind
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.referrals.models import Referral, ReferralOutcome

SHOWN = (Referral.Status.CONFIRMED, Referral.Status.APPLIED)


@dataclass
class OfferCounts:
    offer: ContentItem
    awaiting: int = 0
    confirmed: int = 0
    applied: int = 0
    declined: int = 0
    expired: int = 0
    erased: int = 0
    referrals: list[Referral] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "offer_id": self.offer.pk,
            "title": self.offer.title,
            "status": self.offer.status,
            "awaiting": self.awaiting,
            "confirmed": self.confirmed,
            "applied": self.applied,
            "declined": self.declined,
            "expired": self.expired,
            "erased": self.erased,
        }


def mine(person: Person) -> QuerySet[Referral]:
    return Referral.objects.filter(organisation_id=person.organisation_id, referrer=person)


def job_offers(organisation: Organisation) -> QuerySet[ContentItem]:
    return ContentItem.objects.filter(organisation=organisation, kind=Kind.JOB)


def counts(organisation: Organisation, offer_ids: list[int] | None = None) -> list[OfferCounts]:
    """Every job offer that has or had referrals, newest offer first: three queries."""
    status_counts = {
        status: Count("referrals", filter=Q(referrals__status=status)) for status in Referral.Status
    }
    offers = job_offers(organisation)
    if offer_ids is not None:
        offers = offers.filter(pk__in=offer_ids)
    offers = offers.annotate(**{f"n_{key}": value for key, value in status_counts.items()})
    outcomes = {
        row.offer_id: row for row in ReferralOutcome.objects.filter(organisation=organisation)
    }
    found = []
    for offer in offers.order_by("-created_at", "-id"):
        outcome = outcomes.get(offer.pk)
        row = OfferCounts(
            offer=offer,
            awaiting=getattr(offer, "n_awaiting", 0),
            confirmed=getattr(offer, "n_confirmed", 0),
            applied=getattr(offer, "n_applied", 0),
            declined=outcome.declined if outcome else 0,
            expired=outcome.expired if outcome else 0,
            erased=outcome.erased if outcome else 0,
        )
        if offer_ids is not None or row.awaiting + row.confirmed + row.applied or outcome:
            found.append(row)
    return found


def offer_detail(organisation: Organisation, offer_id: int) -> OfferCounts | None:
    rows = counts(organisation, [offer_id])
    if not rows:
        return None
    row = rows[0]
    # Only candidates who confirmed are shown by name: the others have not agreed yet.
    row.referrals = list(
        Referral.objects.filter(organisation=organisation, offer_id=offer_id, status__in=SHOWN)
        .select_related("referrer")
        .order_by("-confirmed_at", "-id")
    )
    return row
