"""Web push under /api/v1/: the public key, and my devices (list, add, remove)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ApiError, ErrorResponse, PagePagination, permit
from ambassade.core.api_types import Id, InputSchema, Text
from ambassade.core.authz import Actor
from ambassade.people.models import Person
from ambassade.push import actions, vapid
from ambassade.push.models import PushSubscription

router = Router(tags=["push"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class PublicKeyOut(Schema):
    public_key: str = Field(
        ..., description="The VAPID public key, base64url: pushManager's applicationServerKey."
    )


class DeviceOut(Schema):
    id: int
    label: str
    endpoint: str
    created_at: datetime
    last_success_at: datetime | None
    failures: int


class KeysIn(InputSchema):
    p256dh: Text = Field(..., max_length=100)
    auth: Text = Field(..., max_length=40)


class SubscriptionIn(InputSchema):
    """What the browser's ``PushSubscription.toJSON()`` gives."""

    endpoint: Text = Field(..., max_length=2048)
    keys: KeysIn
    expirationTime: int | None = None  # the browser's own name


def _me(request: HttpRequest) -> tuple[Actor, Person]:
    actor = permit(request, "push.manage_own")
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor, actor.person


@router.get("/push/public-key", response={200: PublicKeyOut, 403: ErrorResponse})
def public_key(request: HttpRequest) -> dict[str, str]:
    """The key a browser subscribes with; the same for the whole installation."""
    _me(request)
    return {"public_key": vapid.public_key()}


@router.get("/push/subscriptions", response=list[DeviceOut])
@paginate(PagePagination)
def list_subscriptions(request: HttpRequest) -> QuerySet[PushSubscription]:
    """My devices that receive notifications, the latest first."""
    actor, person = _me(request)
    return PushSubscription.objects.filter(person=person, organisation=actor.organisation)


@router.post("/push/subscriptions", response={201: DeviceOut, **ERRORS})
def subscribe(request: HttpRequest, payload: SubscriptionIn) -> Status:
    """Add this browser's push subscription to my devices (the same endpoint again updates
    its keys). 422 when the endpoint is not https or its host is private or unreachable,
    or when the keys are not a P-256 key and a 16-byte secret."""
    actor, _ = _me(request)
    device = actions.subscribe(
        actor,
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, device)


@router.delete("/push/subscriptions/{subscription_id}", response={204: None, **ERRORS})
def unsubscribe(request: HttpRequest, subscription_id: Id) -> Status:
    """Stop sending notifications to one of my devices."""
    actor, person = _me(request)
    device = get_object_or_404(PushSubscription, person=person, pk=subscription_id)
    actions.unsubscribe(actor, device)
    return Status(204, None)
