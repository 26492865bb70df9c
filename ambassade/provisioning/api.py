"""Provisioning tokens under /api/v1/provisioning/tokens, for admins who script their
setup (``provisioning.manage``). The secret is in the creation's answer only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from ambassade.core.api import ErrorResponse, permit
from ambassade.core.api_types import Id, InputSchema, Name
from ambassade.provisioning import actions
from ambassade.provisioning.models import ProvisioningToken

router = Router(tags=["provisioning"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}
MANAGE = "provisioning.manage"


class ProvisioningTokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(..., description="The first characters, to recognise the token")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewProvisioningTokenOut(ProvisioningTokenOut):
    secret: str = Field(..., description="The bearer token for /scim/v2/: shown only now")


class ProvisioningTokenIn(InputSchema):
    name: Name = Field(..., max_length=100, description="Which identity provider uses it")


@router.get("/provisioning/tokens", response={200: list[ProvisioningTokenOut], **ERRORS})
def list_tokens(request: HttpRequest) -> QuerySet[ProvisioningToken]:
    actor = permit(request, MANAGE)
    return ProvisioningToken.objects.filter(organisation=actor.organisation)


@router.post("/provisioning/tokens", response={201: NewProvisioningTokenOut, **ERRORS})
def create_token(request: HttpRequest, payload: ProvisioningTokenIn) -> Status:
    actor = permit(request, MANAGE)
    token, secret = actions.create_token(actor, payload.name)
    return Status(
        201,
        {
            "id": token.pk,
            "name": token.name,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "revoked_at": token.revoked_at,
            "secret": secret,
        },
    )


@router.post(
    "/provisioning/tokens/{token_id}/revoke", response={200: ProvisioningTokenOut, **ERRORS}
)
def revoke_token(request: HttpRequest, token_id: Id) -> ProvisioningToken:
    actor = permit(request, MANAGE)
    token = ProvisioningToken.objects.filter(organisation=actor.organisation, pk=token_id).first()
    if token is None:
        raise Http404
    actions.revoke_token(actor, token)
    token.refresh_from_db()
    return token
