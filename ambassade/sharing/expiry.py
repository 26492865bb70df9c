"""Warning people before a token that cannot be refreshed expires (LinkedIn, for apps
without programmatic refresh tokens: about 60 days, then the person connects again).

The daily ``warn_expiring_accounts`` job records ``sharing.account_expiring`` 7 days and
1 day before ``expires_at``; the notifications app tells the person. Each warning is kept
(``ExpiryWarning``, unique per account, threshold and token), so a second run the same
day, or two schedulers, record nothing more, and a reconnected account (a new
``expires_at``) is warned again for its new token.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ambassade.core import audit, events
from ambassade.core.batch import each
from ambassade.sharing.models import ExpiryWarning, SocialAccount
from ambassade.sharing.networks.base import REGISTRY

THRESHOLDS_DAYS = (1, 7)  # smallest first: an account seen late gets the nearest warning
DAY = timedelta(days=1)


def threshold(expires_at: datetime, now: datetime) -> int | None:
    """The warning due for a token ending at ``expires_at`` (None: none yet, or expired)."""
    if expires_at <= now:
        return None
    for days in THRESHOLDS_DAYS:
        if expires_at <= now + days * DAY:
            return days
    return None


def _renews_itself(account: SocialAccount) -> bool:
    network = REGISTRY.get(account.network)
    return network is None or network.renews_itself(account.credentials)


def _warn(account: SocialAccount, now: datetime) -> int:
    with transaction.atomic():
        # Re-read under the lock: a reconnection or a refresh meanwhile changes the answer.
        account = (
            SocialAccount.objects.select_for_update()
            .select_related("organisation")
            .get(pk=account.pk)
        )
        due = threshold(account.expires_at, now) if account.expires_at else None
        if (
            due is None
            or account.status != SocialAccount.Status.CONNECTED
            or not account.secrets
            or _renews_itself(account)
        ):
            return 0
        assert account.expires_at is not None
        _warning, created = ExpiryWarning.objects.get_or_create(
            account=account, days=due, expires_at=account.expires_at
        )
        if not created:
            return 0
        days_left = math.ceil((account.expires_at - now) / DAY)
        audit.record(
            "sharing.account_expiry_warned",
            organisation=account.organisation,
            actor=None,
            target=account,
            after={"network": account.network, "days_left": days_left},
        )
        events.record(
            "sharing.account_expiring",
            account.organisation,
            account_id=account.pk,
            person_id=account.person_id,
            network=account.network,
            expires_at=account.expires_at.isoformat(),
            days_left=days_left,
        )
    return 1


def warn_expiring_accounts(now: datetime | None = None) -> int:
    """Records the warnings due today; returns how many were recorded."""
    moment = now or timezone.now()
    due = SocialAccount.objects.filter(
        status=SocialAccount.Status.CONNECTED,
        expires_at__gt=moment,
        expires_at__lte=moment + max(THRESHOLDS_DAYS) * DAY,
    ).order_by("pk")
    return each("sharing.warn_expiring_accounts", due, lambda account: _warn(account, moment)).done
