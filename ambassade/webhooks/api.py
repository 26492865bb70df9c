"""Webhook endpoints and their delivery log, under /api/v1/webhooks/ (admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ErrorResponse, PagePagination, permit, typed
from ambassade.core.api_types import Code, Id, InputSchema, Text, omittable
from ambassade.webhooks import actions, selectors
from ambassade.webhooks.catalogue import TYPES_BY_EVENT
from ambassade.webhooks.models import WebhookAttempt, WebhookMessage

router = Router(tags=["webhooks"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}
PERMISSION = "webhooks.manage"


class WebhookEndpointOut(Schema):
    id: int
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    disabled_reason: str
    previous_secret_expires_at: datetime | None
    created_at: datetime


class WebhookEndpointWithSecret(WebhookEndpointOut):
    secret: str = Field(..., description="whsec_…: returned this once, never again")


class WebhookSecretOut(Schema):
    secret: str


class WebhookEndpointIn(InputSchema):
    url: Text = Field(..., max_length=2048)
    description: Text = Field("", max_length=200)
    event_types: list[Code] = Field(
        default_factory=list, max_length=50, description="Empty: every type"
    )


class WebhookEndpointPatch(InputSchema):
    url: Text = omittable(max_length=2048)
    description: Text = omittable(max_length=200)
    event_types: list[Code] = omittable(max_length=50)
    enabled: bool = omittable()


class WebhookMessageOut(Schema):
    id: int
    msg_id: str
    type: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    payload: dict[str, Any]


class WebhookAttemptOut(Schema):
    at: datetime
    response_status: int | None
    response_body: str
    duration_ms: int
    error: str


class WebhookMessageDetail(WebhookMessageOut):
    tries: list[WebhookAttemptOut]

    @staticmethod
    def resolve_tries(message: WebhookMessage) -> list[WebhookAttempt]:
        return list(message.tries.all())


class WebhookEventTypeOut(Schema):
    type: str
    version: int
    fields: list[str]


@router.get("/webhooks/event-types", response={200: list[WebhookEventTypeOut], **ERRORS})
def event_types(request: HttpRequest) -> list[dict[str, Any]]:
    """The public event types an endpoint may choose, with the fields of their data."""
    permit(request, PERMISSION)
    return [
        {"type": t.name, "version": t.version, "fields": list(t.fields)}
        for t in TYPES_BY_EVENT.values()
    ]


@router.get("/webhooks/endpoints", response=list[WebhookEndpointOut])
@paginate(PagePagination)
@typed
def list_endpoints(request: HttpRequest) -> QuerySet[Any]:
    actor = permit(request, PERMISSION)
    return selectors.endpoints(actor.organisation)


@router.post("/webhooks/endpoints", response={201: WebhookEndpointWithSecret, **ERRORS})
def create_endpoint(request: HttpRequest, payload: WebhookEndpointIn) -> Status:
    """Adds an endpoint; its signing secret is in this answer only."""
    actor = permit(request, PERMISSION)
    endpoint, secret = actions.create_endpoint(actor, **payload.dict())
    return Status(201, {**WebhookEndpointOut.from_orm(endpoint).dict(), "secret": secret})


@router.get("/webhooks/endpoints/{endpoint_id}", response={200: WebhookEndpointOut, **ERRORS})
def get_endpoint(request: HttpRequest, endpoint_id: Id) -> Any:
    actor = permit(request, PERMISSION)
    return selectors.endpoint(actor.organisation, endpoint_id)


@router.patch("/webhooks/endpoints/{endpoint_id}", response={200: WebhookEndpointOut, **ERRORS})
def change_endpoint(request: HttpRequest, endpoint_id: Id, payload: WebhookEndpointPatch) -> Any:
    """Only the fields sent change; ``enabled`` false disables, true enables again."""
    actor = permit(request, PERMISSION)
    endpoint = selectors.endpoint(actor.organisation, endpoint_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return actions.change_endpoint(actor, endpoint, **changes)


@router.delete("/webhooks/endpoints/{endpoint_id}", response={204: None, **ERRORS})
def delete_endpoint(request: HttpRequest, endpoint_id: Id) -> Status:
    actor = permit(request, PERMISSION)
    actions.delete_endpoint(actor, selectors.endpoint(actor.organisation, endpoint_id))
    return Status(204, None)


@router.post("/webhooks/endpoints/{endpoint_id}/rotate", response={200: WebhookSecretOut, **ERRORS})
def rotate_secret(request: HttpRequest, endpoint_id: Id) -> dict[str, str]:
    """A new signing secret, returned this once; the previous one also signs for 24 hours."""
    actor = permit(request, PERMISSION)
    endpoint = selectors.endpoint(actor.organisation, endpoint_id)
    return {"secret": actions.rotate_secret(actor, endpoint)}


@router.post("/webhooks/endpoints/{endpoint_id}/test", response={202: WebhookMessageOut, **ERRORS})
def send_test(request: HttpRequest, endpoint_id: Id) -> Status:
    """Sends a ``webhook.test`` event to the endpoint."""
    actor = permit(request, PERMISSION)
    endpoint = selectors.endpoint(actor.organisation, endpoint_id)
    return Status(202, actions.send_test(actor, endpoint))


@router.get("/webhooks/endpoints/{endpoint_id}/messages", response=list[WebhookMessageOut])
@paginate(PagePagination)
@typed
def list_messages(request: HttpRequest, endpoint_id: Id) -> QuerySet[Any]:
    """The endpoint's delivery log, newest first."""
    actor = permit(request, PERMISSION)
    return selectors.message_log(selectors.endpoint(actor.organisation, endpoint_id))


@router.get(
    "/webhooks/endpoints/{endpoint_id}/messages/{message_id}",
    response={200: WebhookMessageDetail, **ERRORS},
)
def get_message(request: HttpRequest, endpoint_id: Id, message_id: Id) -> Any:
    actor = permit(request, PERMISSION)
    return selectors.message(selectors.endpoint(actor.organisation, endpoint_id), message_id)


@router.post(
    "/webhooks/endpoints/{endpoint_id}/messages/{message_id}/replay",
    response={202: WebhookMessageOut, **ERRORS},
)
def replay(request: HttpRequest, endpoint_id: Id, message_id: Id) -> Status:
    """Sends the message again, with the same webhook-id."""
    actor = permit(request, PERMISSION)
    endpoint = selectors.endpoint(actor.organisation, endpoint_id)
    return Status(202, actions.replay(actor, selectors.message(endpoint, message_id)))
