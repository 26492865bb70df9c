"""Comments and the workflow: submit, approve, send back, publish, archive, reopen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.content import compliance
from ambassade.content.actions import published_changes
from ambassade.content.actions._common import (
    _record_version,
    announce_published,
    policy_of,
    require,
)
from ambassade.content.actions.cleaning import plain
from ambassade.content.actions.policies import four_eyes, may_review
from ambassade.content.models import ContentItem, ReviewComment, Status
from ambassade.core import audit, events
from ambassade.core.authz import Actor, allowed
from ambassade.core.batch import each

# --- Comments and the workflow ----------------------------------------------------------


def _comment(actor: Actor, item: ContentItem, text: str, transition: str = "") -> ReviewComment:
    return ReviewComment.objects.create(
        item=item,
        author=actor.person,
        author_label=actor.label,
        text=text,
        transition=transition,
    )


@transaction.atomic
def add_comment(actor: Actor, item: ContentItem, text: str) -> ReviewComment:
    if not (allowed(actor, "content.edit") or may_review(actor, item.program)):
        raise PermissionDenied
    if item.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    comment = _comment(actor, item, plain(text, "text", limit=3000, required=True))
    audit.record(
        "content.comment_added",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        after={"text": comment.text},
    )
    return comment


def _transition(actor: Actor | None, item: ContentItem, to: str, **extra: Any) -> None:
    before = item.status
    item.status = to
    item.save()
    audit.record(
        f"content.item_{to}",
        organisation=item.organisation,
        actor=actor,
        target=item,
        before={"status": before},
        after={"status": to, **extra},
    )


def _go_live(actor: Actor | None, item: ContentItem, now: datetime | None = None) -> None:
    """Published now, or approved and waiting when its window starts later."""
    now = now or timezone.now()
    if item.publish_from and item.publish_from > now:
        if item.status != Status.APPROVED:
            _transition(actor, item, Status.APPROVED, scheduled_for=item.publish_from.isoformat())
        return
    item.published_at = now
    _transition(actor, item, Status.PUBLISHED)
    _record_version(item, actor)
    announce_published(item)


@transaction.atomic
def submit(actor: Actor, item: ContentItem) -> ContentItem:
    require(actor, "content.edit", item.organisation_id)
    if item.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    compliance.refuse_if_blocked(item)
    item.submitted_at = timezone.now()
    _transition(actor, item, Status.SUBMITTED)
    return item


@transaction.atomic
def approve(actor: Actor, item: ContentItem, comment: str = "") -> ContentItem:
    """A reviewer approves; the item is published at once or when its window opens."""
    if item.organisation_id != actor.organisation.pk or not may_review(actor, item.program):
        raise PermissionDenied
    waiting = item.status == Status.PUBLISHED and item.pending_change is not None
    if item.status != Status.SUBMITTED and not waiting:
        raise ValidationError(_("Only a submitted item can be approved."))
    if four_eyes(actor, item):
        raise ValidationError(
            _("Four-eyes review: someone other than the author approves the item.")
        )
    if comment.strip():
        _comment(actor, item, plain(comment, "comment", limit=3000), Status.APPROVED)
    if waiting:
        return published_changes.approve_pending(actor, item)
    compliance.refuse_if_blocked(item)
    _transition(actor, item, Status.APPROVED)
    _go_live(actor, item)
    return item


@transaction.atomic
def send_back(actor: Actor, item: ContentItem, comment: str) -> ContentItem:
    """Back to draft, with the reviewer's comment saying what to change."""
    if item.organisation_id != actor.organisation.pk or not may_review(actor, item.program):
        raise PermissionDenied
    waiting = item.status == Status.PUBLISHED and item.pending_change is not None
    if item.status not in {Status.SUBMITTED, Status.APPROVED} and not waiting:
        raise ValidationError(_("Only a submitted or approved item can be sent back."))
    text = plain(comment, "comment", limit=3000)
    if not text:
        raise ValidationError({"comment": _("Say what should change: the author reads it.")})
    _comment(actor, item, text, Status.DRAFT)
    if waiting:
        return published_changes.drop_pending(actor, item, text)
    _transition(actor, item, Status.DRAFT, comment=text)
    return item


@transaction.atomic
def publish(actor: Actor, item: ContentItem) -> ContentItem:
    """Publishing directly: an approved item, or a draft of a program that is not regulated."""
    require(actor, "content.edit", item.organisation_id)
    regulated = policy_of(item.program).regulated
    compliance.refuse_if_blocked(item)
    if item.status == Status.APPROVED:
        _go_live(actor, item)
        return item
    if item.status not in {Status.DRAFT, Status.SUBMITTED}:
        raise ValidationError(_("This item cannot be published from its current state."))
    if item.status == Status.SUBMITTED and four_eyes(actor, item):
        # Waiting for a review: its author does not skip it by publishing.
        raise ValidationError(
            _("Four-eyes review: someone other than the author approves the item.")
        )
    if regulated and not may_review(actor, item.program):
        raise ValidationError(_("This program is regulated: every item needs an approval."))
    if regulated:
        raise ValidationError(_("This program is regulated: submit the item for approval."))
    _go_live(actor, item)
    return item


@transaction.atomic
def archive(actor: Actor, item: ContentItem) -> ContentItem:
    require(actor, "content.edit", item.organisation_id)
    if item.status == Status.ARCHIVED:
        return item
    _transition(actor, item, Status.ARCHIVED)
    # Higher apps react (waiting posts cancelled, tracked links withdrawn): docs/events.md.
    events.record("content.item_archived", item.organisation, item_id=item.pk, title=item.title)
    return item


@transaction.atomic
def reopen(actor: Actor, item: ContentItem) -> ContentItem:
    """An expired or archived item back to draft, to be reviewed and published again."""
    require(actor, "content.edit", item.organisation_id)
    if item.status not in {Status.EXPIRED, Status.ARCHIVED}:
        raise ValidationError(_("Only an expired or archived item can be reopened."))
    if item.publish_until and item.publish_until <= timezone.now():
        item.publish_until = None
    _transition(actor, item, Status.DRAFT)
    return item


@transaction.atomic
def delete_item(actor: Actor, item: ContentItem) -> None:
    require(actor, "content.edit", item.organisation_id)
    if item.versions.exists() or item.status != Status.DRAFT:
        raise ValidationError(_("Only a draft never published can be deleted; archive it instead."))
    audit.record(
        "content.item_deleted",
        organisation=actor.organisation,
        actor=actor,
        target=item,
        before={"title": item.title},
    )
    item.delete()


def publish_due(now: datetime | None = None) -> int:
    """Approved items whose window has opened are published (periodic task)."""
    moment = now or timezone.now()

    def go_live(item: ContentItem) -> None:
        with transaction.atomic():
            _go_live(None, item, moment)

    due = ContentItem.objects.filter(status=Status.APPROVED, publish_from__lte=moment)
    return each("content.publish_scheduled", due, go_live).done


def expire_due(now: datetime | None = None) -> int:
    """Published items whose window has closed become expired (periodic task)."""
    moment = now or timezone.now()

    def expire(item: ContentItem) -> int:
        with transaction.atomic():
            # Re-read under the transaction: an item archived meanwhile is not expired too.
            if not ContentItem.objects.filter(pk=item.pk, status=Status.PUBLISHED).exists():
                return 0
            _transition(None, item, Status.EXPIRED)
            events.record(
                "content.item_expired", item.organisation, item_id=item.pk, title=item.title
            )
        return 1

    due = ContentItem.objects.filter(status=Status.PUBLISHED, publish_until__lte=moment)
    return each("content.expire_items", due, expire).done
