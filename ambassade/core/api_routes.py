"""Core operations under /api/v1/: the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ambassade.core import audit_text
from ambassade.core.api import PagePagination, permit
from ambassade.core.api_settings import router as settings_router
from ambassade.core.models import AuditEvent

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    created_at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    target_label: str
    before: Any
    after: Any
    via: str
    token_id: int | None = Field(None, description="The API token that made the change")
    token: str = Field("", description="That token's name and prefix")
    sentence: str = Field(
        "", description="What happened, as a sentence in the request's language (Accept-Language)"
    )

    @staticmethod
    def resolve_sentence(event: AuditEvent) -> str:
        return audit_text.sentence(event)

    @staticmethod
    def resolve_actor(event: AuditEvent) -> str:
        return event.actor_label

    @staticmethod
    def resolve_token(event: AuditEvent) -> str:
        return event.token_label


@router.get("/audit", response=list[AuditEventOut])
@paginate(PagePagination)
def list_audit_events(request: HttpRequest, action: str | None = None) -> QuerySet[AuditEvent]:
    actor = permit(request, "audit.view")
    events = AuditEvent.objects.filter(organisation=actor.organisation)
    if action:
        events = events.filter(action=action)
    return events


# The organisation settings have their own module; mounted with the core operations.
router.add_router("/", settings_router)
