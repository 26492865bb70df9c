"""Deleting a published post from the network (a post that went wrong, a crisis).

The author deletes their own post; someone else only when a permit registered by an app
above allows it (sharing/post_hooks.py: the author's coach, with the author's consent
given in a problem report). The network is called through the one path for calls on a
person's behalf (``calls.on_behalf``: fresh credentials, one refresh after a 401),
outside any transaction; the outcome is then written in one transaction with its audit
row. A post the network no longer has is "already gone", not a failure: the target is
marked deleted all the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.sharing import post_hooks
from ambassade.sharing.calls import on_behalf
from ambassade.sharing.models import FailureKind, ShareTarget, SocialAccount, TargetStatus
from ambassade.sharing.networks.base import (
    Gone,
    NeedsReconnection,
    NetworkError,
    Published,
    RateLimited,
    Rejected,
)
from ambassade.sharing.registry import network_for
from ambassade.tracking.actions import withdraw_link


class DeletionFailed(ValidationError):
    """The network did not delete the post; ``kind`` is a ``FailureKind`` value."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message, code=kind)
        self.kind = kind


@dataclass(frozen=True)
class Deletion:
    target: ShareTarget
    already_gone: bool  # the network no longer had the post
    link_withdrawn: bool


def _kind(error: NetworkError) -> str:
    if isinstance(error, NeedsReconnection):
        return FailureKind.NEEDS_RECONNECTION
    if isinstance(error, RateLimited):
        return FailureKind.RATE_LIMITED
    if isinstance(error, Rejected):
        return FailureKind.REJECTED
    return FailureKind.TRANSIENT


def _load(actor: Actor, target: ShareTarget) -> ShareTarget:
    found = (
        ShareTarget.objects.filter(organisation_id=actor.organisation.pk, pk=target.pk)
        .select_related("account", "share__person", "tracked_link", "organisation")
        .first()
    )
    if found is None:
        raise PermissionDenied
    return found


def _check(actor: Actor, target: ShareTarget) -> SocialAccount:
    author = actor.person is not None and actor.person.pk == target.share.person_id
    if author and not allowed(actor, "sharing.share"):
        raise PermissionDenied
    if not author and not post_hooks.permitted_by_others(actor, target):
        raise PermissionDenied(
            _("Only its author, or their coach with their consent, may delete this post.")
        )
    if target.status == TargetStatus.DELETED:
        raise ValidationError(_("This post is already deleted from the network."))
    if target.status != TargetStatus.PUBLISHED:
        raise ValidationError(
            _("Only a published post can be deleted from the network: this one is %(status)s.")
            % {"status": target.get_status_display().lower()}
        )
    account = target.account
    if account is None or not target.remote_id or account.status != SocialAccount.Status.CONNECTED:
        raise ValidationError(
            _(
                "The account that published this post is not connected any more: connect it "
                "again, or delete the post on the network itself."
            )
        )
    return account


def delete_from_network(
    actor: Actor, target: ShareTarget, *, withdraw_tracked_link: bool = True
) -> Deletion:
    """Deletes the published post from its network; raises ``DeletionFailed`` with the
    network's reason (nothing is changed then, but the failed attempt is audited)."""
    target = _load(actor, target)
    account = _check(actor, target)
    network = network_for(target.organisation, target.network)
    published = Published(remote_id=target.remote_id, url=target.remote_url)
    already_gone = False
    try:
        on_behalf(account, network, lambda credentials: network.delete(credentials, published))
    except Gone:
        already_gone = True
    except NetworkError as error:
        kind = _kind(error)
        with transaction.atomic():
            audit.record(
                "sharing.post_deletion_failed",
                organisation=target.organisation,
                actor=actor,
                target=target,
                after={"kind": kind, "reason": error.message[:300]},
            )
        raise DeletionFailed(error.message, kind) from None
    return _record(actor, target, already_gone, withdraw_tracked_link)


@transaction.atomic
def _record(
    actor: Actor, target: ShareTarget, already_gone: bool, withdraw_tracked_link: bool
) -> Deletion:
    locked = ShareTarget.objects.select_for_update().get(pk=target.pk)
    if locked.status == TargetStatus.DELETED:
        # Another request deleted it while the network was called: one deletion only.
        raise ValidationError(_("This post is already deleted from the network."))
    before = locked.status
    locked.status = TargetStatus.DELETED
    locked.deleted_at = timezone.now()
    locked.save(update_fields=["status", "deleted_at"])
    link = target.tracked_link
    withdrawn = False
    if withdraw_tracked_link and link is not None and link.withdrawn_at is None:
        withdraw_link(link, actor=actor)
        withdrawn = True
    audit.record(
        "sharing.post_deleted",
        organisation=target.organisation,
        actor=actor,
        target=locked,
        before={"status": before},
        after={
            "status": locked.status,
            "already_gone": already_gone,
            "link_withdrawn": withdrawn,
            "by_author": actor.person is not None and actor.person.pk == target.share.person_id,
        },
    )
    locked.share = target.share
    locked.account = target.account
    locked.tracked_link = link
    return Deletion(target=locked, already_gone=already_gone, link_withdrawn=withdrawn)
