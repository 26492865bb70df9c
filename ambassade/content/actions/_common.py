"""What the content actions share: permission checks, tasks queued on commit, the
language check, the program's review policy and the published versions of an item.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.content.models import (
    LANGUAGES,
    RETENTION_REGULATED,
    ContentItem,
    ContentVersion,
    ProgramContentPolicy,
)
from ambassade.core import events
from ambassade.core.authz import Actor, allowed
from ambassade.core.roles import Role
from ambassade.programs.models import Program

LANGUAGE_CODES = {code for code, _ in LANGUAGES}


def require(actor: Actor | None, permission: str, organisation_id: int | None = None) -> Actor:
    if actor is None or not allowed(actor, permission):
        raise PermissionDenied
    if organisation_id is not None and organisation_id != actor.organisation.pk:
        raise PermissionDenied
    return actor


def on_commit(task: Any, *args: Any) -> None:
    transaction.on_commit(lambda: task.enqueue(*args))


def _language(value: str, field: str = "language") -> str:
    if value not in LANGUAGE_CODES:
        raise ValidationError({field: _("Choose French or English.")})
    return value


# Marketing owns the content, internal communications reviews it (docs/roles.md): both
# approve a program's items unless the program's policy says otherwise.
DEFAULT_REVIEWER_ROLES = [Role.INTERNAL_COMMS.value, Role.MARKETING.value]


def policy_of(program: Program) -> ProgramContentPolicy:
    policy, _created = ProgramContentPolicy.objects.get_or_create(
        program=program, defaults={"reviewer_roles": list(DEFAULT_REVIEWER_ROLES)}
    )
    return policy


def snapshot(item: ContentItem) -> dict[str, Any]:
    return {
        "title": item.title,
        "kind": item.kind,
        "status": item.status,
        "description": item.description,
        "body": item.body,
        "url": item.url,
        "language": item.language,
        "program": item.program_id,
        "category": item.category_id,
        "channels": sorted(item.channels.values_list("pk", flat=True)),
        "targets": {
            "departments": sorted(item.target_departments.values_list("pk", flat=True)),
            "sites": sorted(item.target_sites.values_list("pk", flat=True)),
            "languages": item.language_list,
            "ambassador_types": sorted(item.target_ambassador_types.values_list("pk", flat=True)),
        },
        "publish_from": item.publish_from.isoformat() if item.publish_from else None,
        "publish_until": item.publish_until.isoformat() if item.publish_until else None,
        "featured": item.featured,
        "for_alumni": item.for_alumni,
        "messages": [
            {"language": m.language, "network": m.network, "text": m.text, "tags": m.hashtags}
            for m in item.messages.all()
        ],
    }


def _record_version(item: ContentItem, actor: Actor | None) -> ContentVersion:
    now = timezone.now()
    number = (item.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    regulated = policy_of(item.program).regulated
    return ContentVersion.objects.create(
        item=item,
        number=number,
        snapshot=snapshot(item),
        published_at=now,
        published_by_label=actor.label if actor else "system",
        keep_until=now + RETENTION_REGULATED if regulated else None,
    )


# --- Domain events of publication (docs/events.md) ---------------------------------------


def announce_published(item: ContentItem) -> None:
    """The item has just become published: its events, in the caller's transaction."""
    events.record(
        "content.item_published",
        item.organisation,
        item_id=item.pk,
        title=item.title,
        featured=item.featured,
        program_ids=[item.program_id],
    )
    if item.featured:
        announce_featured(item)


def announce_featured(item: ContentItem) -> None:
    """A published item is featured (newly, or published while already featured)."""
    events.record(
        "content.item_featured",
        item.organisation,
        item_id=item.pk,
        title=item.title,
        program_ids=[item.program_id],
    )
