"""The periodic reads on people's behalf: engagement of recent posts, audience of accounts.

Both go through ``calls.on_behalf`` like publishing does, so an access token that
expired while the account was idle (X: two hours) is refreshed, never a reason to
disconnect the account or to skip it. Each item is handled on its own
(``core.batch.each``): a failure is logged once, kept on the account where it has a
place (``last_error``), and the batch goes on.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from ambassade.core.batch import each
from ambassade.sharing.calls import on_behalf
from ambassade.sharing.models import ShareTarget, SocialAccount, TargetStatus
from ambassade.sharing.networks.base import (
    NeedsReconnection,
    NetworkError,
    Published,
    RateLimited,
)
from ambassade.sharing.registry import network_for

logger = logging.getLogger(__name__)


def _note(account: SocialAccount, message: str) -> None:
    SocialAccount.objects.filter(pk=account.pk).update(last_error=message[:500])


def refresh_metrics(days: int = 14) -> int:
    since = timezone.now() - timedelta(days=days)
    targets = (
        ShareTarget.objects.filter(
            status=TargetStatus.PUBLISHED,
            published_at__gte=since,
            account__status=SocialAccount.Status.CONNECTED,
        )
        .exclude(remote_id="")  # nothing to look up
        .select_related("account", "organisation")
        .order_by(F("metrics_at").asc(nulls_first=True))[:500]
    )
    accounts: dict[int, SocialAccount] = {}  # one instance per account: refreshed once
    stopped: set[int] = set()  # accounts that must not be called again in this run

    def measure(target: ShareTarget) -> int:
        assert target.account is not None
        account = accounts.setdefault(target.account.pk, target.account)
        if account.pk in stopped:
            return 0
        network = network_for(target.organisation, target.network)
        published = Published(remote_id=target.remote_id, url=target.remote_url)
        try:
            found = on_behalf(account, network, lambda c: network.metrics(c, published))
        except (NeedsReconnection, RateLimited) as error:
            stopped.add(account.pk)  # marked by the one path, or to wait for the reset
            logger.info(
                "metrics not read for an account",
                extra={"account": account.pk, "reason": type(error).__name__},
            )
            return 0
        except NetworkError as error:
            logger.info(
                "metrics not read for a post",
                extra={"target": target.pk, "reason": type(error).__name__},
            )
            return 0
        ShareTarget.objects.filter(pk=target.pk).update(
            likes=found.likes,
            reposts=found.reposts,
            replies=found.replies,
            impressions=found.impressions,
            metrics_at=timezone.now(),
        )
        return 1

    return each("sharing.fetch_metrics", targets, measure).done


def refresh_audiences() -> int:
    accounts = (
        SocialAccount.objects.filter(status=SocialAccount.Status.CONNECTED)
        .exclude(secrets="")
        .select_related("organisation")
        .order_by(F("audience_measured_at").asc(nulls_first=True))[:1000]
    )

    def measure(account: SocialAccount) -> int:
        network = network_for(account.organisation, account.network)
        try:
            identity = on_behalf(account, network, network.identity)
        except NetworkError as error:
            # NeedsReconnection: the one path marked the account if its stored credentials
            # were refused; anything else is kept on the account until the next success.
            if not isinstance(error, NeedsReconnection):
                _note(account, error.message)
            logger.info(
                "audience not read",
                extra={"account": account.pk, "reason": type(error).__name__},
            )
            return 0
        changes: dict[str, object] = {"last_error": ""}
        if identity.audience is not None:
            changes.update(audience=identity.audience, audience_measured_at=timezone.now())
        SocialAccount.objects.filter(pk=account.pk).update(**changes)
        return int(identity.audience is not None)

    return each("sharing.refresh_audiences", accounts, measure, record=_note).done
