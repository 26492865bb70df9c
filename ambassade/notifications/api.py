"""My notifications and my notification choices, under /api/v1/."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ambassade.core.api import ApiError, ErrorResponse, PagePagination, permit_person
from ambassade.core.api_types import Code, Id, InputSchema, TimeOfDay
from ambassade.notifications import actions, delivery, kinds
from ambassade.notifications.models import Notification, Preference
from ambassade.people.models import Person

router = Router(tags=["notifications"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    urgent: bool
    created_at: datetime
    read_at: datetime | None


class UnreadOut(Schema):
    unread: int


class ChoiceIO(Schema):
    kind: str
    channel: str
    enabled: bool


class PreferencesOut(Schema):
    choices: list[ChoiceIO]
    quiet_start: time
    quiet_end: time
    daily_cap: int
    weekly_cap: int


class ChoiceIn(InputSchema):
    kind: Code = Field(..., max_length=32)
    channel: Code = Field(..., max_length=32)
    enabled: bool


class PreferencesIn(InputSchema):
    choices: list[ChoiceIn] = Field(default_factory=list, max_length=200)
    quiet_start: TimeOfDay | None = None
    quiet_end: TimeOfDay | None = None
    daily_cap: int | None = Field(None, ge=0, le=actions.MAX_CAP)
    weekly_cap: int | None = Field(None, ge=0, le=actions.MAX_CAP)


@router.get("/notifications", response=list[NotificationOut])
@paginate(PagePagination)
def list_notifications(request: HttpRequest) -> QuerySet[Notification]:
    """My notifications, the newest first."""
    _, person = permit_person(request, "notifications.view_own")
    return Notification.objects.filter(person=person)


@router.get("/notifications/unread-count", response={200: UnreadOut, **ERRORS})
def unread_count(request: HttpRequest) -> dict[str, int]:
    """How many of my notifications are unread (the bell's badge)."""
    _, person = permit_person(request, "notifications.view_own")
    return {"unread": Notification.objects.filter(person=person, read_at__isnull=True).count()}


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def mark_read(request: HttpRequest, notification_id: Id) -> Notification:
    """Marks one of my notifications read (someone else's is a 404)."""
    actor, person = permit_person(request, "notifications.manage_own")
    notification = get_object_or_404(Notification, person=person, pk=notification_id)
    actions.mark_read(actor, notification)
    notification.refresh_from_db()
    return notification


@router.post("/notifications/read-all", response={200: UnreadOut, **ERRORS})
def mark_all_read(request: HttpRequest) -> dict[str, int]:
    """Marks all my notifications read; answers the unread count, 0."""
    actor, _ = permit_person(request, "notifications.manage_own")
    actions.mark_all_read(actor)
    return {"unread": 0}


def _preferences(person: Person) -> dict[str, Any]:
    chosen = {
        (kind, channel): enabled
        for kind, channel, enabled in Preference.objects.filter(person=person).values_list(
            "kind", "channel", "enabled"
        )
    }
    ambassador = actions.is_ambassador(person)
    choices = [
        {
            "kind": code,
            "channel": channel,
            "enabled": chosen.get((code, channel), channel in kinds.defaults_for(kind, ambassador)),
        }
        for code, kind in kinds.KINDS.items()
        for channel in kinds.channel_names()
    ]
    saved = delivery.settings_of(person)
    return {
        "choices": choices,
        "quiet_start": saved.quiet_start,
        "quiet_end": saved.quiet_end,
        "daily_cap": saved.daily_cap,
        "weekly_cap": saved.weekly_cap,
    }


@router.get("/notifications/preferences", response={200: PreferencesOut, **ERRORS})
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    """Every kind x channel with its state (my choice, or the default), quiet hours, caps."""
    _, person = permit_person(request, "notifications.view_own")
    return _preferences(person)


@router.put("/notifications/preferences", response={200: PreferencesOut, **ERRORS})
def put_preferences(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    """Changes the choices given (the others keep theirs), and quiet hours and caps if given.
    An unknown kind or channel is a 422 naming it."""
    actor, person = permit_person(request, "notifications.manage_own")
    choices = {(choice.kind, choice.channel): choice.enabled for choice in payload.choices}
    for kind, channel in choices:
        if kind not in kinds.KINDS:
            raise ApiError(
                422, "invalid", f"Unknown kind of notification: {kind}.", [{"field": "kind"}]
            )
        if channel not in kinds.channel_names():
            raise ApiError(422, "invalid", f"Unknown channel: {channel}.", [{"field": "channel"}])
    try:
        actions.save_preferences(
            actor,
            choices=choices,
            quiet_start=payload.quiet_start,
            quiet_end=payload.quiet_end,
            daily_cap=payload.daily_cap,
            weekly_cap=payload.weekly_cap,
        )
    except ValidationError as error:
        raise ApiError(422, "invalid", error.messages[0]) from error
    return _preferences(person)
