"""Badges under /api/v1/recognition/: the organisation's badges (the console roles read
them, marketing, HR, communications and admins write them) and my badges (everyone)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from ambassade.content.images import MAX_IMAGE_BYTES
from ambassade.core.api import ApiError, ErrorResponse, permit
from ambassade.core.api_types import Code, Id, InputSchema, Name, Text, omittable
from ambassade.core.display import name as display_name
from ambassade.people.models import Person
from ambassade.recognition import badge_actions
from ambassade.recognition.ledger import profile_of
from ambassade.recognition.models import Badge
from ambassade.recognition.views_badges import held_by, to_earn

router = Router(tags=["recognition"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}
CRITERIA = (
    "first_personal_share, shares_in_90_days, first_conversion, path_completed or "
    "challenge_completed"
)


class BadgeOut(Schema):
    id: int
    name: str
    description: str
    criterion: str = Field(description=CRITERIA)
    criterion_name: str = Field(description="What earns it, in the reader's language")
    threshold: int
    image_url: str
    active: bool
    awarded: int = Field(description="How many people earned it")


class BadgeIn(InputSchema):
    name: Name = Field(..., max_length=badge_actions.NAME_LIMIT)
    description: Text = Field("", max_length=badge_actions.DESCRIPTION_LIMIT)
    criterion: Code = Field(..., max_length=32, description=CRITERIA)
    threshold: int = Field(1, ge=-100_000, le=100_000, description="From 1 to 1000; 1 for the path")


class BadgePatch(InputSchema):
    name: Name = omittable(max_length=badge_actions.NAME_LIMIT)
    description: Text = omittable(max_length=badge_actions.DESCRIPTION_LIMIT)
    criterion: Code = omittable(max_length=32, description=CRITERIA)
    threshold: int = omittable(ge=-100_000, le=100_000)
    active: bool = omittable(description="false: retired, no longer awarded")


class EarnedOut(Schema):
    badge: BadgeOut
    awarded_at: datetime


class ToEarnOut(Schema):
    badge: BadgeOut
    done: int = Field(description="How many times the criterion is met so far")


class MyBadgesOut(Schema):
    show_badges: bool = Field(description="Whether colleagues see my badges")
    earned: list[EarnedOut]
    to_earn: list[ToEarnOut]


def _out(badge: Badge, awarded: int | None = None) -> dict[str, Any]:
    return {
        "id": badge.pk,
        "name": badge.name,
        "description": badge.description,
        "criterion": badge.criterion,
        "criterion_name": display_name("badge_criterion", badge.criterion),
        "threshold": badge.threshold,
        "image_url": default_storage.url(badge.image) if badge.image else "",
        "active": badge.active,
        "awarded": awarded if awarded is not None else badge.awards.count(),
    }


@router.get("/badges", response={200: list[BadgeOut], **ERRORS})
def list_badges(request: HttpRequest) -> list[dict[str, Any]]:
    """Every badge of the organisation, retired ones included, with how many earned it."""
    actor = permit(request, "recognition.view")
    found = Badge.objects.filter(organisation=actor.organisation).annotate(n=Count("awards"))
    return [_out(badge, badge.n) for badge in found[:500]]


@router.post("/badges", response={201: BadgeOut, **ERRORS})
def create_badge(request: HttpRequest, payload: BadgeIn) -> Status:
    """A badge in the organisation's own name; its name is unique in the organisation."""
    actor = permit(request, "recognition.manage")
    return Status(201, _out(badge_actions.create_badge(actor, **payload.dict())))


def _badge(request: HttpRequest, badge_id: int, permission: str) -> tuple[Any, Badge]:
    actor = permit(request, permission)
    return actor, get_object_or_404(Badge, organisation=actor.organisation, pk=badge_id)


@router.patch("/badges/{badge_id}", response={200: BadgeOut, **ERRORS})
def change_badge(request: HttpRequest, badge_id: Id, payload: BadgePatch) -> dict[str, Any]:
    """Changes the fields given; ``active: false`` retires it (kept by those who earned it)."""
    actor, badge = _badge(request, badge_id, "recognition.manage")
    changes = payload.dict(exclude_unset=True)
    return _out(badge_actions.change_badge(actor, badge, **changes))


@router.post("/badges/{badge_id}/image", response={200: BadgeOut, **ERRORS})
def set_badge_image(
    request: HttpRequest, badge_id: Id, image: File[UploadedFile]
) -> dict[str, Any]:
    """An image (JPEG, PNG, WebP or GIF, 8 MB at most), re-encoded without its metadata."""
    actor, badge = _badge(request, badge_id, "recognition.manage")
    if image.size is not None and image.size > MAX_IMAGE_BYTES:
        raise ApiError(422, "invalid", "The image is larger than 8 MB.", [{"field": "image"}])
    return _out(badge_actions.change_badge(actor, badge, image=image.read()))


class BadgeVisibilityIn(InputSchema):
    show_badges: bool = Field(..., description="Whether colleagues see my badges")


def _person(request: HttpRequest, permission: str) -> tuple[Any, Person]:
    actor = permit(request, permission)
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor, actor.person


def _mine(person: Person) -> dict[str, Any]:
    held = held_by(person)
    return {
        "show_badges": profile_of(person).show_badges,
        "earned": [{"badge": _out(a.badge), "awarded_at": a.awarded_at} for a in held],
        "to_earn": [
            {"badge": _out(entry["badge"]), "done": entry["done"]}
            for entry in to_earn(person, held)
        ],
    }


@router.get("/me/badges", response={200: MyBadgesOut, **ERRORS})
def my_badges(request: HttpRequest) -> dict[str, Any]:
    """My badges with when I earned them, and the active badges still to earn."""
    _actor, person = _person(request, "recognition.view_own")
    return _mine(person)


@router.put("/me/badges/visibility", response={200: MyBadgesOut, **ERRORS})
def set_visibility(request: HttpRequest, payload: BadgeVisibilityIn) -> dict[str, Any]:
    """Whether colleagues see my badges (their page answers 404 when I hide them)."""
    actor, person = _person(request, "recognition.manage_own")
    badge_actions.show_badges(actor, payload.show_badges)
    return _mine(person)
