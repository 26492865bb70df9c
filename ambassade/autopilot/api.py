"""The autopilot under /api/v1/autopilot/: my settings, my queued posts (edit, cancel),
turning it off, and the organisation's limits (admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from ambassade.autopilot import actions, selectors
from ambassade.autopilot.models import Autopilot, AutopilotPost, AutopilotSettings
from ambassade.core.api import ApiError, ErrorResponse, permit
from ambassade.core.api_types import Id, InputSchema, Text
from ambassade.core.authz import Actor
from ambassade.people.models import Person

router = Router(tags=["autopilot"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class AutopilotOut(Schema):
    enabled: bool
    template: str
    per_week: int
    weekly_limit: int = Field(description="The lower of my number and the organisation's.")
    channel_ids: list[int]
    account_ids: list[int]
    preview_hours: int


class AutopilotIn(InputSchema):
    enabled: bool
    template: Text = Field("", max_length=1000, description="My words; {title}, {link}.")
    per_week: int = Field(1, ge=1, le=actions.MAX_PER_WEEK)
    channel_ids: list[Id] = Field(default_factory=list, max_length=100)
    account_ids: list[Id] = Field(default_factory=list, max_length=50)


class AutopilotPostOut(Schema):
    target_id: int
    item_id: int
    item_title: str
    network: str
    status: str
    scheduled_at: datetime | None
    message: str


class AutopilotEditIn(InputSchema):
    message: Text = Field(..., max_length=3000)


class AutopilotCancelledOut(Schema):
    cancelled: int


class AutopilotLimitsOut(Schema):
    max_per_week: int
    preview_hours: int


class AutopilotLimitsIn(InputSchema):
    max_per_week: int = Field(..., ge=0, le=actions.MAX_PER_WEEK)
    preview_hours: int = Field(..., ge=1, le=actions.MAX_PREVIEW_HOURS)


def _person(actor: Actor) -> Person:
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor.person


def _autopilot_out(pilot: Autopilot, options: AutopilotSettings) -> dict[str, Any]:
    saved = pilot.pk is not None
    return {
        "enabled": pilot.enabled,
        "template": pilot.template,
        "per_week": pilot.per_week,
        "weekly_limit": selectors.weekly_limit(pilot, options),
        "channel_ids": sorted(c.pk for c in pilot.channels.all()) if saved else [],
        "account_ids": sorted(a.pk for a in pilot.accounts.all()) if saved else [],
        "preview_hours": options.preview_hours,
    }


def _post_out(post: AutopilotPost) -> dict[str, Any]:
    target = post.target
    assert target is not None
    return {
        "target_id": target.pk,
        "item_id": post.item_id,
        "item_title": post.item.title,
        "network": target.network,
        "status": target.status,
        "scheduled_at": target.scheduled_at,
        "message": target.share.message,
    }


@router.get("/me", response={200: AutopilotOut, **ERRORS})
def my_autopilot(request: HttpRequest) -> dict[str, Any]:
    """My autopilot (off, with no channel, until I turn it on)."""
    person = _person(permit(request, "autopilot.view_own"))
    return _autopilot_out(
        selectors.autopilot_of(person), selectors.settings_of(person.organisation)
    )


@router.put("/me", response={200: AutopilotOut, **ERRORS})
def save_my_autopilot(request: HttpRequest, payload: AutopilotIn) -> dict[str, Any]:
    """Turn my autopilot on (template checked: my own words, the networks' lengths), change
    it, or turn it off (which cancels what it queued)."""
    actor = permit(request, "autopilot.use")
    person = _person(actor)
    pilot = actions.save_autopilot(
        actor,
        enabled=payload.enabled,
        template=payload.template,
        per_week=payload.per_week,
        channel_ids=payload.channel_ids,
        account_ids=payload.account_ids,
    )
    return _autopilot_out(pilot, selectors.settings_of(person.organisation))


@router.post("/me/off", response={200: AutopilotCancelledOut, **ERRORS})
def turn_off(request: HttpRequest) -> dict[str, Any]:
    """One call: my autopilot is off and every post it queued is cancelled."""
    actor = permit(request, "autopilot.use")
    _person(actor)
    return {"cancelled": actions.turn_off(actor)}


@router.get("/me/posts", response={200: list[AutopilotPostOut], **ERRORS})
def my_queued_posts(request: HttpRequest) -> list[dict[str, Any]]:
    """The posts my autopilot queued that have not gone out, the soonest first."""
    actor = permit(request, "autopilot.view_own")
    _person(actor)
    return [_post_out(post) for post in selectors.waiting_posts(actor)[:200]]


@router.patch("/me/posts/{target_id}", response={200: AutopilotPostOut, **ERRORS})
def edit_post(request: HttpRequest, target_id: Id, payload: AutopilotEditIn) -> dict[str, Any]:
    """Rewrite a queued post before it goes out (404 for anyone else's)."""
    actor = permit(request, "autopilot.use")
    _person(actor)
    return _post_out(actions.edit_post(actor, target_id, payload.message))


@router.post("/me/posts/{target_id}/cancel", response={200: AutopilotPostOut, **ERRORS})
def cancel_post(request: HttpRequest, target_id: Id) -> dict[str, Any]:
    """Cancel a queued post: it will not go out."""
    actor = permit(request, "autopilot.use")
    _person(actor)
    return _post_out(actions.cancel_post(actor, target_id))


@router.get("/settings", response={200: AutopilotLimitsOut, **ERRORS})
def get_settings(request: HttpRequest) -> AutopilotSettings:
    """The organisation's limits: posts a week at most, the preview window (admins)."""
    actor = permit(request, "autopilot.settings")
    return selectors.settings_of(actor.organisation)


@router.put("/settings", response={200: AutopilotLimitsOut, **ERRORS})
def put_settings(request: HttpRequest, payload: AutopilotLimitsIn) -> AutopilotSettings:
    actor = permit(request, "autopilot.settings")
    return actions.update_settings(
        actor, max_per_week=payload.max_per_week, preview_hours=payload.preview_hours
    )
