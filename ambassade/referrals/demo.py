"""Demo referrals: Lucas Perrin (ambassadeur@verdier.example) referred three people for
the demo's job offers: one still awaited, one confirmed, one who applied through the
referral's link (reported like a career site would)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core.demo import DemoContext, demo_step
from ambassade.people.models import Person
from ambassade.referrals.actions import NETWORK
from ambassade.referrals.models import Referral
from ambassade.tracking.actions import create_link, report_conversion

AMBASSADOR = "ambassadeur@verdier.example"
CANDIDATES = [
    ("Inès Moreau", "ines.moreau@example.net", "Ancienne collègue, excellente en méthodes.", 1),
    ("Thomas Girard", "thomas.girard@example.net", "", 4),
    ("Sarah Lambert", "sarah.lambert@example.net", "Rencontrée au salon de Lyon.", 9),
]


@demo_step(57)
def referrals(context: DemoContext) -> None:
    organisation = context.objects["organisation"]
    lucas = Person.objects.filter(organisation=organisation, email=AMBASSADOR).first()
    offers = list(
        ContentItem.objects.filter(
            organisation=organisation, kind=Kind.JOB, status=Status.PUBLISHED
        ).order_by("-published_at", "-id")[:2]
    )
    if lucas is None or not offers:
        return
    now = timezone.now()
    statuses = [Referral.Status.AWAITING, Referral.Status.CONFIRMED, Referral.Status.APPLIED]
    for index, ((name, email, note, days_ago), status) in enumerate(
        zip(CANDIDATES, statuses, strict=True)
    ):
        offer = offers[index % len(offers)]
        referral = Referral.objects.create(
            organisation=organisation,
            offer=offer,
            referrer=lucas,
            candidate_name=name,
            candidate_email=email,
            note=note,
            status=status,
            mailed_at=now - timedelta(days=days_ago),
        )
        Referral.objects.filter(pk=referral.pk).update(created_at=now - timedelta(days=days_ago))
        if status == Referral.Status.AWAITING:
            continue
        link = create_link(
            organisation=organisation,
            url=offer.apply_url or offer.url or "https://careers.verdier.example/apply",
            network=NETWORK,
            person=lucas,
            content_item_id=offer.pk,
            preview={"title": offer.title, "language": offer.language},
        )
        confirmed_at = now - timedelta(days=days_ago - 1)
        applied_at = (
            now - timedelta(days=days_ago - 2) if status == Referral.Status.APPLIED else None
        )
        Referral.objects.filter(pk=referral.pk).update(
            link=link, confirmed_at=confirmed_at, applied_at=applied_at
        )
        if applied_at is not None:
            report_conversion(
                organisation=organisation,
                reference=link.code,
                kind="application",
                idempotency_key=f"demo-referral-{referral.pk}",
                occurred_at=applied_at,
            )
    context.progress(f"{len(CANDIDATES)} referrals for {len(offers)} job offers")
