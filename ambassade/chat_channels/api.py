"""A program's Slack and Teams channels, under /api/v1/programs/{id}/chat-channels."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from ambassade.chat_channels import actions
from ambassade.chat_channels.models import ChatChannel
from ambassade.core.api import ErrorResponse, permit
from ambassade.core.api_types import Code, Id, InputSchema, Trimmed, omittable
from ambassade.core.authz import Actor, allowed_on_program
from ambassade.programs.models import Program

router = Router(tags=["chat channels"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}
PERMISSION = "chat_channels.manage"


class ChatChannelOut(Schema):
    id: int
    program_id: int
    kind: str
    name: str
    webhook_host: str = Field(description="The webhook's host; the address itself is secret.")
    send_featured: bool
    send_weekly: bool
    enabled: bool
    paused_at: datetime | None
    consecutive_failures: int
    last_status: int | None
    last_error: str
    last_delivery_at: datetime | None


class ChatChannelConnectedOut(ChatChannelOut):
    warning: str = Field(description="Why the address does not look like the service, or empty.")


class ChatChannelIn(InputSchema):
    kind: Code = Field(..., description="slack or teams")
    name: Trimmed = Field(..., max_length=80)
    webhook_url: Trimmed = Field(..., max_length=2048)
    send_featured: bool = True
    send_weekly: bool = True


class ChatChannelPatch(InputSchema):
    name: Trimmed = omittable(max_length=80)
    send_featured: bool = omittable()
    send_weekly: bool = omittable()
    enabled: bool = omittable(description="true also lifts a pause after repeated failures")


class ChatChannelTestOut(Schema):
    ok: bool
    status: int | None
    message: str


def _program(actor: Actor, program_id: Id) -> Program:
    program = get_object_or_404(Program, organisation=actor.organisation, pk=program_id)
    if not allowed_on_program(actor, PERMISSION, program):
        raise PermissionDenied
    return program


def _channel(actor: Actor, program_id: Id, channel_id: Id) -> ChatChannel:
    program = _program(actor, program_id)
    return get_object_or_404(
        ChatChannel.objects.select_related("program"), program=program, pk=channel_id
    )


@router.get("/programs/{program_id}/chat-channels", response={200: list[ChatChannelOut], **ERRORS})
def list_channels(request: HttpRequest, program_id: Id) -> list[ChatChannel]:
    """The program's Slack and Teams channels, with their last delivery."""
    actor = permit(request, PERMISSION)
    return list(ChatChannel.objects.filter(program=_program(actor, program_id)))


@router.post(
    "/programs/{program_id}/chat-channels", response={201: ChatChannelConnectedOut, **ERRORS}
)
def connect_channel(request: HttpRequest, program_id: Id, payload: ChatChannelIn) -> Status:
    """Connect a channel by its incoming-webhook address (https, public host; 422 otherwise)."""
    actor = permit(request, PERMISSION)
    connected = actions.connect(actor, _program(actor, program_id), **payload.dict())
    out = ChatChannelOut.from_orm(connected.channel).dict()
    return Status(201, {**out, "warning": connected.warning})


@router.patch(
    "/programs/{program_id}/chat-channels/{channel_id}", response={200: ChatChannelOut, **ERRORS}
)
def change_channel(
    request: HttpRequest, program_id: Id, channel_id: Id, payload: ChatChannelPatch
) -> ChatChannel:
    actor = permit(request, PERMISSION)
    channel = _channel(actor, program_id, channel_id)
    return actions.change(actor, channel, **payload.dict(exclude_unset=True))


@router.delete("/programs/{program_id}/chat-channels/{channel_id}", response={204: None, **ERRORS})
def disconnect_channel(request: HttpRequest, program_id: Id, channel_id: Id) -> Status:
    actor = permit(request, PERMISSION)
    actions.disconnect(actor, _channel(actor, program_id, channel_id))
    return Status(204, None)


@router.post(
    "/programs/{program_id}/chat-channels/{channel_id}/test",
    response={200: ChatChannelTestOut, **ERRORS},
)
def test_channel(request: HttpRequest, program_id: Id, channel_id: Id) -> ChatChannelTestOut:
    """Send a test message now; ``message`` says what happened in plain words."""
    actor = permit(request, PERMISSION)
    outcome = actions.send_test(actor, _channel(actor, program_id, channel_id))
    return ChatChannelTestOut(ok=outcome.ok, status=outcome.status, message=outcome.message)
