"""My e-mail digest settings, under /api/v1/me/digest."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from ambassade.core.api import ApiError, ErrorResponse, permit
from ambassade.core.api_types import InputSchema
from ambassade.core.authz import Actor
from ambassade.digests import actions, selectors
from ambassade.people.models import Person

router = Router(tags=["digest"])


def _own_person(actor: Actor) -> Person:
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor.person


class DigestSettingsIn(InputSchema):
    frequency: Literal["off", "daily", "weekly"] = Field(..., description="How often.")
    weekday: int = Field(..., ge=0, le=6, description="0 is Monday (weekly digest).")
    hour: int = Field(..., ge=0, le=23, description="The hour in your own time zone.")


class DigestSettingsOut(Schema):
    frequency: str
    weekday: int
    hour: int


def _out(person: Person) -> dict[str, Any]:
    current = selectors.settings_of(person)
    return {"frequency": current.frequency, "weekday": current.weekday, "hour": current.hour}


@router.get("/me/digest", response={200: DigestSettingsOut, 403: ErrorResponse})
def get_digest_settings(request: HttpRequest) -> dict[str, Any]:
    """How often you receive the e-mail digest, which day and at what hour."""
    actor = permit(request, "digest.view_own")
    return _out(_own_person(actor))


@router.put("/me/digest", response={200: DigestSettingsOut, 403: ErrorResponse, 422: ErrorResponse})
def save_digest_settings(request: HttpRequest, payload: DigestSettingsIn) -> dict[str, Any]:
    """``frequency`` "off" turns it off; any other value also undoes an unsubscribe."""
    actor = permit(request, "digest.manage_own")
    person = _own_person(actor)
    actions.save_settings(actor, payload.dict())
    return _out(person)
