"""Referrals under /api/v1/referrals: refer a candidate and list mine (everyone who reads
the feed); each offer's referrals and erasure on request (HR, admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from ambassade.core.api import ApiError, ErrorResponse, permit, permit_person
from ambassade.core.api_types import Id, InputSchema, Name, Text, Trimmed
from ambassade.referrals import actions, selectors
from ambassade.referrals.models import Referral

router = Router(tags=["referrals"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class ReferIn(InputSchema):
    offer_id: Id = Field(..., description="A job offer of the content hub I see.")
    name: Name = Field(..., max_length=150, description="The candidate's name.")
    email: Trimmed = Field(..., max_length=254, description="The candidate's e-mail address.")
    note: Text = Field("", max_length=500, description="Why I think of them (HR reads it).")


class MyReferralOut(Schema):
    id: int
    offer_id: int
    offer_title: str
    candidate_name: str
    status: str = Field(description='"awaiting", "confirmed" or "applied".')
    referred_at: datetime
    confirmed_at: datetime | None
    applied_at: datetime | None


class ReferredOut(Schema):
    referral: MyReferralOut | None = Field(
        description="The new referral; null when the candidate was referred already."
    )
    already_referred: bool


class OfferCountsOut(Schema):
    offer_id: int
    title: str
    status: str
    awaiting: int
    confirmed: int
    applied: int
    declined: int
    expired: int
    erased: int


class ReferredCandidateOut(Schema):
    id: int
    candidate_name: str
    candidate_email: str
    note: str
    status: str
    referrer_id: int
    referrer_name: str
    referred_at: datetime
    confirmed_at: datetime | None
    applied_at: datetime | None


class OfferReferralsOut(OfferCountsOut):
    candidates: list[ReferredCandidateOut] = Field(description="Confirmed candidates only.")


def _mine_out(referral: Referral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "offer_id": referral.offer_id,
        "offer_title": referral.offer.title,
        "candidate_name": referral.candidate_name,
        "status": referral.status,
        "referred_at": referral.created_at,
        "confirmed_at": referral.confirmed_at,
        "applied_at": referral.applied_at,
    }


@router.post("/referrals", response={201: ReferredOut, 200: ReferredOut, **ERRORS})
def refer(request: HttpRequest, payload: ReferIn) -> Status:
    """Refer a candidate for a job offer; they get one e-mail to confirm. 200 with
    ``already_referred`` when this address was referred for this offer already (by
    whom is not told); no second e-mail is sent."""
    actor, _person = permit_person(request, "referrals.refer")
    referred = actions.refer(actor, payload.offer_id, payload.name, payload.email, payload.note)
    if not referred.created:
        return Status(200, {"referral": None, "already_referred": True})
    return Status(201, {"referral": _mine_out(referred.referral), "already_referred": False})


@router.get("/referrals/mine", response={200: list[MyReferralOut], 403: ErrorResponse})
def mine(request: HttpRequest) -> list[dict[str, Any]]:
    """My referrals and their statuses (declined and expired ones are erased)."""
    actor, _person = permit_person(request, "referrals.refer")
    assert actor.person is not None
    return [_mine_out(r) for r in selectors.mine(actor.person).select_related("offer")[:500]]


@router.get("/referrals/offers", response={200: list[OfferCountsOut], 403: ErrorResponse})
def offers(request: HttpRequest) -> list[dict[str, Any]]:
    """Each job offer with referrals: counts per status (HR, admins)."""
    actor = permit(request, "referrals.manage")
    return [row.as_dict() for row in selectors.counts(actor.organisation)]


@router.get("/referrals/offers/{offer_id}", response={200: OfferReferralsOut, **ERRORS})
def offer(request: HttpRequest, offer_id: Id) -> dict[str, Any]:
    """One job offer's counts, and its confirmed candidates' names and addresses."""
    actor = permit(request, "referrals.manage")
    row = selectors.offer_detail(actor.organisation, offer_id)
    if row is None:
        raise ApiError(404, "not_found", "No job offer has this id.")
    return {
        **row.as_dict(),
        "candidates": [
            {
                "id": r.pk,
                "candidate_name": r.candidate_name,
                "candidate_email": r.candidate_email,
                "note": r.note,
                "status": r.status,
                "referrer_id": r.referrer_id,
                "referrer_name": r.referrer.full_name,
                "referred_at": r.created_at,
                "confirmed_at": r.confirmed_at,
                "applied_at": r.applied_at,
            }
            for r in row.referrals
        ],
    }


@router.delete("/referrals/{referral_id}", response={204: None, **ERRORS})
def erase(request: HttpRequest, referral_id: Id) -> Status:
    """Erase a referral at the candidate's request (HR, admins); only a count remains."""
    actor = permit(request, "referrals.manage")
    actions.erase(actor, referral_id)
    return Status(204, None)
