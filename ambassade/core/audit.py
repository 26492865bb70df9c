"""Writing the audit log. Called from action functions, inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from ambassade.core.authz import Actor
from ambassade.core.models import AuditEvent, Organisation


def record(
    action: str,
    *,
    organisation: Organisation | None,
    actor: Actor | None,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    person = actor.person if actor else None
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=person.user if person is not None else None,
        actor_label=actor.label if actor else "system",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        before=before,
        after=after,
        via=actor.via if actor else "system",
        token_id=actor.token_id if actor else None,
        token_label=actor.token_label if actor else "",
    )
