"""Every write of referrals: refer, the candidate's answer, HR's erasure, expiry, and
"applied" when a career site reports the application. One transaction each, an audit row
that names the referral by its number only (never the candidate)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.content import selectors as content_selectors
from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.referrals.models import Referral, ReferralOutcome
from ambassade.tracking.actions import create_link

NETWORK = "referral"
MAX_NAME = 150
MAX_NOTE = 500
# Referrals a person may make in a day: enough for a real network, too few to spam.
DAILY_LIMIT = 20


@dataclass(frozen=True)
class Referred:
    referral: Referral
    created: bool  # False: this address was already referred for this offer


def referable_offers(actor: Actor) -> Any:
    """The job offers the actor sees in their feed (none for an organisation token)."""
    if actor.person is None:
        return ContentItem.objects.none()
    audience = content_selectors.audience_of(actor.person)
    return content_selectors.feed(audience).filter(kind=Kind.JOB)


def _text(value: Any, field: str, limit: int, *, required: bool) -> str:
    text = " ".join(str(value or "").split()) if field != "note" else str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("At most %(limit)s characters, please.") % {"limit": limit}}
        )
    return text


def _email(value: Any) -> str:
    address = str(value or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    return address


def refer(actor: Actor, offer_id: Any, name: Any, email: Any, note: Any = "") -> Referred:
    """Refers a candidate; the one mail to them leaves after commit. The same address for
    the same offer gives the existing referral back (``created`` False), no mail."""
    if not allowed(actor, "referrals.refer") or actor.person is None:
        raise PermissionDenied
    offer = referable_offers(actor).filter(pk=offer_id if isinstance(offer_id, int) else 0).first()
    if offer is None:
        raise Http404
    candidate_name = _text(name, "name", MAX_NAME, required=True)
    address = _email(email)
    if address == (actor.person.email or "").lower():
        raise ValidationError({"email": _("You cannot refer yourself.")})
    text = _text(note, "note", MAX_NOTE, required=False)
    existing = Referral.objects.filter(offer=offer, candidate_email=address).first()
    if existing is not None:
        return Referred(existing, created=False)
    since = timezone.now() - timedelta(days=1)
    if Referral.objects.filter(referrer=actor.person, created_at__gte=since).count() >= DAILY_LIMIT:
        raise ValidationError(
            {
                "email": _("You have referred %(count)s people today: try again tomorrow.")
                % {"count": DAILY_LIMIT}
            }
        )
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                organisation=actor.organisation,
                offer=offer,
                referrer=actor.person,
                candidate_name=candidate_name,
                candidate_email=address,
                note=text,
            )
            audit.record(
                "referral.created",
                organisation=actor.organisation,
                actor=actor,
                target=referral,
                after={"offer_id": offer.pk},
            )
            transaction.on_commit(lambda: _send_mail(referral.pk))
    except IntegrityError:  # referred by someone else at the same moment
        existing = Referral.objects.get(offer=offer, candidate_email=address)
        return Referred(existing, created=False)
    return Referred(referral, created=True)


def _send_mail(referral_id: int) -> None:
    from ambassade.referrals.tasks import send_candidate_mail

    send_candidate_mail.enqueue(referral_id)


def _count(referral: Referral, field: str) -> None:
    outcome, _created = ReferralOutcome.objects.get_or_create(
        offer_id=referral.offer_id, defaults={"organisation_id": referral.organisation_id}
    )
    ReferralOutcome.objects.filter(pk=outcome.pk).update(**{field: F(field) + 1})


def _offer_url(offer: ContentItem) -> str:
    return offer.apply_url or offer.url


def confirm(referral: Referral) -> Referral:
    """The candidate confirms: the referral is kept, and gets its tracked link to the offer."""
    with transaction.atomic():
        locked = Referral.objects.select_for_update().filter(pk=referral.pk).first()
        if locked is None:
            raise Http404
        if locked.status != Referral.Status.AWAITING:
            return referral
        offer = referral.offer
        # A withdrawn offer's links answer "gone": a closed offer gets no new one.
        if _offer_url(offer) and offer.status == Status.PUBLISHED:
            locked.link = create_link(
                organisation=referral.organisation,
                url=_offer_url(offer),
                network=NETWORK,
                person=referral.referrer,
                content_item_id=offer.pk,
                preview={"title": offer.title, "language": offer.language},
            )
        locked.status = Referral.Status.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["link", "status", "confirmed_at"])
        audit.record(
            "referral.confirmed", organisation=referral.organisation, actor=None, target=locked
        )
    locked.organisation, locked.offer, locked.referrer = (
        referral.organisation,
        referral.offer,
        referral.referrer,
    )
    return locked


def decline(referral: Referral) -> None:
    """The candidate's "no thanks" (or their withdrawal once confirmed): erased at once."""
    with transaction.atomic():
        if not Referral.objects.filter(pk=referral.pk).exists():
            return
        _count(referral, "declined" if referral.status == Referral.Status.AWAITING else "erased")
        audit.record(
            "referral.declined", organisation=referral.organisation, actor=None, target=referral
        )
        Referral.objects.filter(pk=referral.pk).delete()


def erase(actor: Actor, referral_id: Any) -> None:
    """HR erases a referral, on the candidate's request."""
    if not allowed(actor, "referrals.manage"):
        raise PermissionDenied
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update()
            .filter(
                organisation=actor.organisation,
                pk=referral_id if isinstance(referral_id, int) else 0,
            )
            .first()
        )
        if referral is None:
            raise Http404
        _count(referral, "erased")
        audit.record(
            "referral.erased", organisation=actor.organisation, actor=actor, target=referral
        )
        referral.delete()


def expire_unconfirmed(now: datetime | None = None) -> int:
    """Erases the referrals their candidate did not confirm in time; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.REFERRAL_UNCONFIRMED_DAYS)
    done = 0
    due = Referral.objects.filter(status=Referral.Status.AWAITING, created_at__lt=cutoff)
    for referral in due.select_related("organisation").order_by("pk")[:1000]:
        with transaction.atomic():
            if not Referral.objects.filter(pk=referral.pk, status=referral.status).exists():
                continue
            _count(referral, "expired")
            audit.record(
                "referral.expired", organisation=referral.organisation, actor=None, target=referral
            )
            Referral.objects.filter(pk=referral.pk).delete()
            done += 1
    return done


def mark_applied(organisation_id: int, link_id: Any, when: datetime | None = None) -> bool:
    """The career site reported an application through the referral's link."""
    referral = (
        Referral.objects.select_related("organisation")
        .filter(
            organisation_id=organisation_id,
            link_id=link_id if isinstance(link_id, int) else 0,
            status=Referral.Status.CONFIRMED,
        )
        .first()
    )
    if referral is None:
        return False
    referral.status = Referral.Status.APPLIED
    referral.applied_at = when or timezone.now()
    referral.save(update_fields=["status", "applied_at"])
    audit.record(
        "referral.applied", organisation=referral.organisation, actor=None, target=referral
    )
    return True
