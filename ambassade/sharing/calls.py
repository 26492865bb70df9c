"""The one path for every call made on a person's behalf (publish, look-up, identity,
metrics): fresh credentials, one refresh, one account lock.

- Credentials that have expired or end within ``REFRESH_AHEAD`` are refreshed first.
- A call answered "needs reconnection" (a 401) is retried once with refreshed
  credentials; a network whose refresh gives nothing new (Mastodon, LinkedIn while the
  token is valid) is not called twice.
- A refresh runs under a per-account lock (``select_for_update`` on PostgreSQL; on
  SQLite every transaction takes the write lock at once, ``transaction_mode
  IMMEDIATE``) and re-reads the stored credentials after taking it: X refresh tokens are
  single-use, so a worker that finds credentials another worker just refreshed uses
  them instead of spending the old refresh token (and failing).
- Only a refusal of *the credentials still stored* marks the account "needs
  reconnection" (a compare-and-set on the stored secrets): a worker holding stale
  credentials never knocks out an account that another worker has just refreshed or
  the person has just reconnected. Credentials adopted from another worker that are
  refused in turn (they expired since; Bluesky's carry no expiry we read) are refreshed
  once more before anything is marked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import events
from ambassade.sharing.models import SocialAccount
from ambassade.sharing.networks.base import Credentials, NeedsReconnection, Network

logger = logging.getLogger(__name__)
T = TypeVar("T")
REFRESH_AHEAD = timedelta(minutes=5)


def _expiring(credentials: Credentials, network: Network | None = None) -> bool:
    ahead = max(REFRESH_AHEAD, network.refresh_ahead) if network is not None else REFRESH_AHEAD
    expires_at = credentials.expires_at
    return expires_at is not None and expires_at <= datetime.now(UTC) + ahead


def _adopt(account: SocialAccount, stored: SocialAccount) -> None:
    account.secrets, account.expires_at = stored.secrets, stored.expires_at
    account.status, account.last_error = stored.status, stored.last_error


def mark_needs_reconnection(account: SocialAccount, seen: str, reason: str) -> bool:
    """Marks the account, unless its stored secrets changed since ``seen`` was read."""
    with transaction.atomic():
        marked = SocialAccount.objects.filter(
            pk=account.pk, secrets=seen, status=SocialAccount.Status.CONNECTED
        ).update(status=SocialAccount.Status.NEEDS_RECONNECTION, last_error=reason[:500])
        if marked:
            account.status, account.last_error = SocialAccount.Status.NEEDS_RECONNECTION, reason
            announce_needs_reconnection(account)
    return bool(marked)


def announce_needs_reconnection(account: SocialAccount) -> None:
    """The account has just become "needs reconnection" (docs/events.md)."""
    events.record(
        "sharing.account_needs_reconnection",
        account.organisation,
        account_id=account.pk,
        person_id=account.person_id,
        network=account.network,
    )


def refresh(account: SocialAccount, network: Network, seen: str) -> Credentials:
    """Fresh credentials for the account, refreshed at most once across workers."""
    return _refresh(account, network, seen)[0]


def _refresh(account: SocialAccount, network: Network, seen: str) -> tuple[Credentials, bool]:
    """Fresh credentials for the account, and whether this call refreshed them.

    ``seen``: the stored (encrypted) secrets the caller used. If they changed meanwhile,
    another worker refreshed (or the person reconnected): their credentials are used.
    Raises ``NeedsReconnection`` when the network refuses the stored credentials (the
    account is then marked) or when the account is no longer connected.
    """
    refused: NeedsReconnection | None = None
    with transaction.atomic():
        stored = SocialAccount.objects.select_for_update().get(pk=account.pk)
        _adopt(account, stored)
        if stored.status != SocialAccount.Status.CONNECTED or not stored.secrets:
            raise NeedsReconnection(
                stored.last_error or _("The account is not connected any more.")
            )
        current = stored.credentials
        if stored.secrets != seen and not _expiring(current, network):
            return current, False  # another worker refreshed while this one waited for the lock
        try:
            fresh = network.refresh(current)  # under the lock: one refresh per account
        except NeedsReconnection as error:
            stored.status = SocialAccount.Status.NEEDS_RECONNECTION
            stored.last_error = error.message[:500]
            stored.save(update_fields=["status", "last_error", "updated_at"])
            announce_needs_reconnection(stored)
            refused = error
        else:
            if fresh.secrets != current.secrets or fresh.expires_at != current.expires_at:
                stored.store(fresh)
                stored.save(update_fields=["secrets", "expires_at", "updated_at"])
            _adopt(account, stored)
    if refused is not None:
        _adopt(account, stored)
        raise refused
    return fresh, True


def on_behalf(
    account: SocialAccount,
    network: Network,
    call: Callable[[Credentials], T],
    *,
    before_retry: Callable[[str], None] | None = None,
) -> T:
    """``call(credentials)`` with fresh credentials, retried once after a refresh.

    ``before_retry(reason)`` runs before the second call (the engine records a new
    attempt). A final ``NeedsReconnection`` has marked the account when the credentials
    it refused are still the stored ones.
    """
    seen = account.secrets
    credentials = account.credentials
    if _expiring(credentials, network):
        credentials = refresh(account, network, seen)
        seen = account.secrets
    try:
        return call(credentials)
    except NeedsReconnection as error:
        fresh, refreshed = _refresh(account, network, seen)
        if fresh.secrets == credentials.secrets:
            # Nothing new to try with (tokens that do not expire, or still valid).
            mark_needs_reconnection(account, account.secrets, error.message)
            raise
        first = error
    if before_retry is not None:
        before_retry(first.message)
    seen = account.secrets
    try:
        return call(fresh)
    except NeedsReconnection as again:
        if refreshed:
            mark_needs_reconnection(account, seen, again.message)
            raise
        second = again
    # The credentials adopted from another worker had expired since (Bluesky's carry no
    # expiry we read): refresh those, once, rather than mark an account that still works.
    fresh, _refreshed = _refresh(account, network, seen)
    if before_retry is not None:
        before_retry(second.message)
    seen = account.secrets
    try:
        return call(fresh)
    except NeedsReconnection as last:
        mark_needs_reconnection(account, seen, last.message)
        raise
