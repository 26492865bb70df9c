"""A change to a published item of a regulated program goes back to review.

The program chooses what readers see meanwhile (ProgramContentPolicy.keep_live_while_reviewed):
- kept live: the approved text stays in the feed; the change waits on the item
  (``pending_change``) and is applied when a reviewer approves it;
- withdrawn: the change is applied at once and the item goes back to "submitted", out
  of the feed until it is approved again.
Either way the published text is kept as a ContentVersion before anything changes, so the
history shows what was live. See docs/decisions/0023-compliance-that-holds.md.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ambassade.content import compliance
from ambassade.content.actions._common import (
    _record_version,
    announce_featured,
    policy_of,
    snapshot,
)
from ambassade.content.models import ContentItem, ContentVersion, Status
from ambassade.core import audit
from ambassade.core.authz import Actor

DATE_FIELDS = ("publish_from", "publish_until", "event_start")


def _encode(values: dict[str, Any]) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return decoded


def _decode(stored: dict[str, Any]) -> dict[str, Any]:
    values = dict(stored)
    for name in DATE_FIELDS:
        if isinstance(values.get(name), str):
            values[name] = parse_datetime(values[name])
    return values


def _keep_published_text(actor: Actor, item: ContentItem) -> None:
    """The text readers saw is a version before it changes (items published before
    versions existed, or by a demo, may have none)."""
    last = ContentVersion.objects.filter(item=item).order_by("-number").first()
    if last is None or last.snapshot != snapshot(item):
        _record_version(item, actor)


def needs_review(item: ContentItem) -> bool:
    return item.status == Status.PUBLISHED and policy_of(item.program).regulated


def propose_change(actor: Actor, item: ContentItem, values: dict[str, Any]) -> ContentItem:
    """Called by update_item, inside its transaction, for a published regulated item."""
    from ambassade.content.actions.items import _apply_fields, _save_many

    _keep_published_text(actor, item)
    before = snapshot(item)
    if policy_of(item.program).keep_live_while_reviewed:
        # Checked on a copy: the live row keeps the approved text until the approval.
        trial = ContentItem.objects.get(pk=item.pk)
        _apply_fields(actor, trial, values)
        item.pending_change = _encode(values)
        item.pending_author = actor.person
        item.submitted_at = timezone.now()
        item.save(update_fields=["pending_change", "pending_author", "submitted_at"])
        audit.record(
            "content.change_submitted",
            organisation=actor.organisation,
            actor=actor,
            target=item,
            before=before,
            after={"proposed": item.pending_change, "published_version_stays_live": True},
        )
        return item
    many = _apply_fields(actor, item, values)
    item.status = Status.SUBMITTED
    item.submitted_at = timezone.now()
    item.save()
    _save_many(item, many)
    audit.record(
        "content.change_submitted",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        before=before,
        after={**snapshot(item), "published_version_stays_live": False},
    )
    return item


def proposed(actor: Actor, item: ContentItem) -> tuple[ContentItem, dict[str, list[Any]]]:
    """The item as its waiting change would make it (unsaved), and its many-to-many choices:
    what the edit form shows, so that a second edit starts from the first proposal."""
    from ambassade.content.actions.items import _apply_fields

    copy = ContentItem.objects.get(pk=item.pk)
    many = _apply_fields(actor, copy, _decode(item.pending_change or {}))
    return copy, many


def approve_pending(actor: Actor, item: ContentItem) -> ContentItem:
    """Applies the waiting change to the live item and records the new version."""
    from ambassade.content.actions.items import _apply_fields, _save_many

    before = snapshot(item)
    was_featured = item.featured
    many = _apply_fields(actor, item, _decode(item.pending_change or {}))
    compliance.refuse_if_blocked(item)
    item.pending_change = None
    item.pending_author = None
    item.save()
    _save_many(item, many)
    audit.record(
        "content.change_approved",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        before=before,
        after=snapshot(item),
    )
    _record_version(item, actor)
    if item.featured and not was_featured:
        announce_featured(item)
    return item


def drop_pending(actor: Actor, item: ContentItem, comment: str) -> ContentItem:
    """Sent back: the live text stays; the proposed change is kept in the audit log."""
    proposed = item.pending_change
    item.pending_change = None
    item.pending_author = None
    item.save(update_fields=["pending_change", "pending_author"])
    audit.record(
        "content.change_sent_back",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        before={"proposed": proposed},
        after={"comment": comment},
    )
    return item
