"""Every write of delegation: naming and ending a delegation, writing a draft, and the
principal's decision. One transaction each, an audit row, and the events the
notifications are made of.

Nothing is published from here but through sharing's ``create_share`` with the
principal as the actor: an approved draft meets every rule of sharing (charter,
training, pause, similarity, stagger, daily caps) as if the principal wrote it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit, events
from ambassade.core.authz import Actor, allowed
from ambassade.delegation import selectors
from ambassade.delegation.models import Delegation, Draft, DraftStatus
from ambassade.people.models import Person
from ambassade.sharing.actions.shares import TargetRequest, create_share

MAX_TEXT = 3000
MAX_NOTE = 500


def _person(actor: Actor, permission: str) -> Person:
    if not allowed(actor, permission) or actor.person is None:
        raise PermissionDenied
    return actor.person


def _id(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# Delegations --------------------------------------------------------------------------


def grant(actor: Actor, delegate_id: Any) -> Delegation:
    """The principal names a colleague who may write drafts for them."""
    principal = _person(actor, "delegation.manage_own")
    with transaction.atomic():
        delegate = selectors.colleagues(principal).filter(pk=_id(delegate_id)).first()
        if delegate is None:
            raise ValidationError(
                {"delegate_id": _("Choose a colleague of your organisation who can sign in.")}
            )
        if Delegation.objects.filter(
            principal=principal, delegate=delegate, ended_at__isnull=True
        ).exists():
            raise ValidationError(
                {
                    "delegate_id": _("%(name)s already writes for you.")
                    % {"name": delegate.full_name}
                }
            )
        delegation = Delegation.objects.create(
            organisation=actor.organisation, principal=principal, delegate=delegate
        )
        audit.record(
            "delegation.granted",
            organisation=actor.organisation,
            actor=actor,
            target=delegation,
            after={"principal": principal.full_name, "delegate": delegate.full_name},
        )
    return delegation


def end(actor: Actor, delegation_id: Any) -> Delegation:
    """Either side ends a delegation; the delegate's pending drafts are withdrawn."""
    person = _person(actor, "delegation.manage_own")
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update()
            .filter(organisation=actor.organisation, pk=_id(delegation_id))
            .first()
        )
        if delegation is None or person.pk not in (
            delegation.principal_id,
            delegation.delegate_id,
        ):
            raise Http404
        if delegation.ended_at is not None:
            return delegation
        delegation.ended_at = timezone.now()
        delegation.ended_by = person
        delegation.save(update_fields=["ended_at", "ended_by"])
        withdrawn = Draft.objects.filter(delegation=delegation, status=DraftStatus.PENDING).update(
            status=DraftStatus.WITHDRAWN, decided_at=delegation.ended_at
        )
        audit.record(
            "delegation.ended",
            organisation=actor.organisation,
            actor=actor,
            target=delegation,
            before={"ended": False},
            after={"ended": True, "withdrawn_drafts": withdrawn},
        )
    return delegation


# Drafts -------------------------------------------------------------------------------


def write_draft(
    actor: Actor,
    delegation_id: Any,
    *,
    item_id: Any,
    text: Any,
    account_ids: list[Any],
    suggested_at: datetime | None = None,
) -> Draft:
    """The delegate writes a draft for the principal; nothing is shared until approval."""
    delegate = _person(actor, "delegation.manage_own")
    body = str(text or "").strip()
    if not body:
        raise ValidationError({"text": _("Write the post first.")})
    if len(body) > MAX_TEXT:
        raise ValidationError(
            {"text": _("At most %(limit)s characters, please.") % {"limit": MAX_TEXT}}
        )
    if suggested_at is not None and suggested_at < timezone.now() - timedelta(minutes=1):
        raise ValidationError({"suggested_at": _("Choose a time in the future.")})
    with transaction.atomic():
        # Locked against an end at the same moment: a draft is never written after it.
        delegation = (
            Delegation.objects.select_for_update(of=("self",))
            .filter(
                organisation=actor.organisation,
                delegate=delegate,
                ended_at__isnull=True,
                pk=_id(delegation_id),
            )
            .select_related("principal")
            .first()
        )
        if delegation is None:
            raise PermissionDenied
        principal = delegation.principal
        item = selectors.feed_of(principal).filter(pk=_id(item_id)).first()
        if item is None or not item.shareable:
            raise ValidationError({"item_id": _("Choose an item of their feed.")})
        wanted = {_id(value) for value in account_ids}
        accounts = list(selectors.accounts_of(principal).filter(pk__in=wanted))
        if not wanted or len(accounts) != len(wanted):
            raise ValidationError({"account_ids": _("Choose among their connected accounts.")})
        draft = Draft.objects.create(
            organisation=actor.organisation,
            delegation=delegation,
            item=item,
            text=body,
            suggested_at=suggested_at,
        )
        draft.accounts.set(accounts)
        audit.record(
            "delegation.draft_written",
            organisation=actor.organisation,
            actor=actor,
            target=draft,
            after={"for": principal.full_name, "item": item.pk, "networks": _networks(accounts)},
        )
        events.record(
            "delegation.draft_submitted",
            actor.organisation,
            draft_id=draft.pk,
            principal_id=principal.pk,
            delegate_id=delegate.pk,
        )
    return draft


def _networks(accounts: Any) -> list[str]:
    return sorted(account.network for account in accounts)


def _pending(actor: Actor, draft_id: Any) -> Draft:
    """The principal's pending draft, locked; a draft of an ended delegation is not."""
    principal = _person(actor, "delegation.manage_own")
    draft = (
        Draft.objects.select_for_update(of=("self",))
        .filter(
            organisation=actor.organisation,
            delegation__principal=principal,
            pk=_id(draft_id),
        )
        .select_related("delegation", "item__program")
        .first()
    )
    if draft is None:
        raise Http404
    if draft.status != DraftStatus.PENDING or draft.delegation.ended_at is not None:
        raise ValidationError(
            _("This draft is no longer waiting for you: it is %(status)s.")
            % {"status": draft.get_status_display().lower()}
        )
    return draft


def approve(
    actor: Actor, draft_id: Any, *, text: Any = None, accept_similar: bool = False
) -> Draft:
    """The principal approves the draft, as is or edited: it becomes the principal's own
    share, posted now or at the suggested time if that is still ahead."""
    with transaction.atomic():
        draft = _pending(actor, draft_id)
        edited = str(text).strip() if text is not None else ""
        final = edited or draft.text
        if len(final) > MAX_TEXT:
            raise ValidationError(
                {"text": _("At most %(limit)s characters, please.") % {"limit": MAX_TEXT}}
            )
        ahead = draft.suggested_at is not None and draft.suggested_at > timezone.now()
        share = create_share(
            actor,
            draft.item,
            final,
            [TargetRequest(account_id=account.pk) for account in draft.accounts.all()],
            when="schedule" if ahead else "now",
            at=draft.suggested_at if ahead else None,
            accept_similar=accept_similar,
        )
        draft.status = DraftStatus.APPROVED
        draft.edited = final != draft.text
        draft.text = final
        draft.share = share
        draft.decided_at = timezone.now()
        draft.save(update_fields=["status", "edited", "text", "share", "decided_at"])
        audit.record(
            "delegation.draft_approved",
            organisation=actor.organisation,
            actor=actor,
            target=draft,
            before={"status": DraftStatus.PENDING},
            after={"status": draft.status, "edited": draft.edited, "share": share.pk},
        )
        _decided(actor, draft)
    return draft


def refuse(actor: Actor, draft_id: Any, note: Any = "") -> Draft:
    """The principal refuses the draft, with an optional word to the delegate."""
    with transaction.atomic():
        draft = _pending(actor, draft_id)
        word = str(note or "").strip()
        if len(word) > MAX_NOTE:
            raise ValidationError(
                {"note": _("At most %(limit)s characters, please.") % {"limit": MAX_NOTE}}
            )
        draft.status = DraftStatus.REFUSED
        draft.note = word
        draft.decided_at = timezone.now()
        draft.save(update_fields=["status", "note", "decided_at"])
        audit.record(
            "delegation.draft_refused",
            organisation=actor.organisation,
            actor=actor,
            target=draft,
            before={"status": DraftStatus.PENDING},
            after={"status": draft.status, "with_note": bool(word)},
        )
        _decided(actor, draft)
    return draft


def _decided(actor: Actor, draft: Draft) -> None:
    events.record(
        "delegation.draft_decided",
        actor.organisation,
        draft_id=draft.pk,
        principal_id=draft.delegation.principal_id,
        delegate_id=draft.delegation.delegate_id,
        status=draft.status,
    )
