"""The publishing engine: one task per target, never posting twice.

1. *Claim* (one transaction, committed): the target must be queued or scheduled and
   due; the organisation must not be paused; the item must still be live (archived or
   expired: cancelled); the person must still be allowed to share
   (``programs.selectors.may_share``, checked now, not only when composing); the
   account must be connected and not rate limited; quiet hours, the daily cap and the
   stagger must allow it now, or the target is rescheduled (``scheduling.claim_time``,
   under ``scheduling.hold``). A ``PublishAttempt`` row is written *before* the
   network is called.
2. *Call* the network (outside any transaction).
3. *Record* the outcome: published; rate limited (wait until the reset, per account);
   rejected or reconnection needed (stop, tell the person with the fixing action);
   transient (retry with exponential backoff and jitter).

When an earlier attempt has no outcome (a crash, a timeout after sending), the engine
first asks the network's ``find_post``; a network that cannot tell leaves the target
"to verify" instead of posting again.
"""

from __future__ import annotations

import logging
import mimetypes
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.content import selectors as content_selectors
from ambassade.core import mail
from ambassade.programs.selectors import may_share
from ambassade.sharing import scheduling
from ambassade.sharing.models import (
    FailureKind,
    PublishAttempt,
    PublishingPause,
    ShareTarget,
    SocialAccount,
    TargetStatus,
)
from ambassade.sharing.networks.base import (
    NeedsReconnection,
    Network,
    Post,
    Published,
    RateLimited,
    Rejected,
    Transient,
)
from ambassade.sharing.registry import network_for
from ambassade.sharing.selectors import settings_of
from ambassade.tracking.actions import short_url

logger = logging.getLogger(__name__)
MAX_TRIES = 6
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
STALE_AFTER = timedelta(minutes=10)  # a "publishing" target this old lost its worker


def backoff(tries: int) -> timedelta:
    """Exponential, capped, with jitter (so retries of many targets do not align)."""
    delay = min(BACKOFF_BASE_SECONDS * 2 ** max(tries - 1, 0), BACKOFF_MAX_SECONDS)
    return timedelta(seconds=delay * random.uniform(0.5, 1.5))


def enqueue(target_id: int, when: datetime | None = None) -> None:
    """Queues the target's task on commit, deferred when the backend supports it.

    Without deferral (the immediate backend) only due targets are queued now; the
    periodic ``release_due`` job queues the others when their time comes.
    """
    from ambassade.sharing.tasks import publish_target

    def send() -> None:
        now = timezone.now()
        if when is not None and when > now + timedelta(seconds=5):
            if not publish_target.get_backend().supports_defer:
                return
            publish_target.using(run_after=when).enqueue(target_id)
        else:
            publish_target.enqueue(target_id)

    transaction.on_commit(send)


def _post(target: ShareTarget) -> Post:
    share = target.share
    item = share.item
    check = content_selectors.check_message(target.organisation, share.message, target.network)
    image, image_type = None, ""
    if item.image:
        path = Path(settings.MEDIA_ROOT) / item.image
        if path.is_file() and path.stat().st_size < 1_000_000:
            image = path.read_bytes()
            image_type = mimetypes.guess_type(path.name)[0] or "image/jpeg"
    return Post(
        text=check.text,
        link=short_url(target.tracked_link) if target.tracked_link else (item.url or ""),
        title=item.title,
        description=item.description[:300],
        image=image,
        image_type=image_type,
        idempotency_key=str(target.idempotency_key),
        language=item.language,
    )


def _notify(target: ShareTarget, subject: str, body: str) -> None:
    person = target.share.person
    if not person.email:
        return
    slug = target.organisation.slug
    email = person.email

    def send() -> None:
        try:
            mail.send(organisation_slug=slug, subject=subject, body=body, to=[email])
        except Exception:  # a mail server outage must not undo the outcome
            logger.exception("sharing notification not sent")

    transaction.on_commit(send)


def _fix_url(kind: str) -> str:
    name = "sharing:accounts" if kind == FailureKind.NEEDS_RECONNECTION else "sharing:posts"
    return f"{settings.BASE_URL}{reverse(name)}"


def _fail(target: ShareTarget, kind: str, reason: str, attempt: PublishAttempt | None) -> str:
    target.status = TargetStatus.FAILED
    target.failure_kind = kind
    target.failure_reason = reason[:500]
    target.save(update_fields=["status", "failure_kind", "failure_reason"])
    if attempt is not None:
        _finish(attempt, kind, reason)
    actions: dict[str, str] = {
        FailureKind.NEEDS_RECONNECTION: _("Connect the account again: %(url)s"),
        FailureKind.REJECTED: _("Change the message and share again: %(url)s"),
    }
    action = actions.get(kind, _("See your posts: %(url)s"))
    _notify(
        target,
        _("Your post on %(network)s was not published") % {"network": target.network},
        "\n\n".join(
            [
                _("“%(title)s” was not published on %(network)s.")
                % {"title": target.share.item.title, "network": target.network},
                reason,
                action % {"url": _fix_url(kind)},
            ]
        ),
    )
    return f"failed:{kind}"


def _finish(attempt: PublishAttempt, outcome: str, detail: str = "") -> None:
    attempt.finished_at = timezone.now()
    attempt.outcome = outcome[:20]
    attempt.detail = detail[:500]
    attempt.save(update_fields=["finished_at", "outcome", "detail"])


def _published(target: ShareTarget, published: Published, attempt: PublishAttempt, how: str) -> str:
    target.status = TargetStatus.PUBLISHED
    target.remote_id = published.remote_id[:500]
    target.remote_url = published.url[:2048]
    target.published_at = timezone.now()
    target.audience = target.account.audience if target.account is not None else None
    target.failure_kind = ""
    target.failure_reason = ""
    target.save(
        update_fields=[
            "status",
            "remote_id",
            "remote_url",
            "published_at",
            "audience",
            "failure_kind",
            "failure_reason",
        ]
    )
    _finish(attempt, how)
    return "published"


def _retry(target: ShareTarget, when: datetime, kind: str, reason: str) -> None:
    target.status = TargetStatus.QUEUED
    target.scheduled_at = when
    target.failure_kind = kind
    target.failure_reason = reason[:500]
    target.save(update_fields=["status", "scheduled_at", "failure_kind", "failure_reason"])
    enqueue(target.pk, when)


def _claim(target_id: int) -> tuple[ShareTarget, PublishAttempt, bool] | str:
    """Step 1, committed before any network call. Returns a reason string when not to call."""
    with transaction.atomic():
        target = (
            ShareTarget.objects.select_for_update()
            .filter(
                pk=target_id,
                status__in=(TargetStatus.QUEUED, TargetStatus.SCHEDULED, TargetStatus.PUBLISHING),
            )
            .first()
        )
        if target is None:
            return "skipped"
        now = timezone.now()
        if target.status == TargetStatus.PUBLISHING:
            last = target.attempts.order_by("-number").first()
            if (
                last is not None
                and last.finished_at is None
                and now - last.started_at < STALE_AFTER
            ):
                return "busy"  # another worker is on it
        elif target.scheduled_at and target.scheduled_at > now + timedelta(seconds=5):
            return "not due"
        if PublishingPause.objects.filter(
            organisation_id=target.organisation_id, paused=True
        ).exists():
            target.status = TargetStatus.PAUSED
            target.save(update_fields=["status"])
            return "paused"
        claimed_from = target.status
        target = ShareTarget.objects.select_related(
            "share",
            "share__person",
            "share__person__user",
            "share__item",
            "share__item__program",
            "account",
            "organisation",
            "tracked_link",
        ).get(pk=target.pk)
        if claimed_from != TargetStatus.PUBLISHING and not target.share.item.is_live:
            return _withdrawn(target, now)
        decision = may_share(target.share.person, target.share.item.program)
        if not decision.allowed:
            return _fail(target, FailureKind.NOT_ALLOWED, str(decision.reason), None)
        account = target.account
        if (
            account is None
            or account.status != SocialAccount.Status.CONNECTED
            or not account.secrets
        ):
            return _fail(
                target,
                FailureKind.NEEDS_RECONNECTION,
                _("The account is not connected any more."),
                None,
            )
        if account.rate_limited_until and account.rate_limited_until > now:
            _retry(
                target, account.rate_limited_until, FailureKind.RATE_LIMITED, target.failure_reason
            )
            return "rate limited"
        if claimed_from != TargetStatus.PUBLISHING:
            later = _restrained(target, now)
            if later is not None:
                return later
            target.scheduled_at = now  # when it went out: what the cap and the stagger read
        previous = target.attempts.filter(outcome__in=("", "uncertain")).exists()
        target.tries += 1
        target.status = TargetStatus.PUBLISHING
        target.save(update_fields=["tries", "status", "scheduled_at"])
        attempt = PublishAttempt.objects.create(target=target, number=target.tries)
    return target, attempt, previous


def _restrained(target: ShareTarget, now: datetime) -> str | None:
    """Quiet hours, the daily cap and the stagger, checked again at claim time (a retry, a
    resumed pause or a stagger may have brought the target into them): a target that may
    not go out now is rescheduled to the first moment it may."""
    scheduling.hold(target.share.person_id, target.share.item_id)
    options = settings_of(target.organisation)
    when = scheduling.claim_time(options, scheduling.zone_of(target.share.person), target, now)
    if when <= now + timedelta(seconds=5):
        return None
    target.status = TargetStatus.SCHEDULED
    target.scheduled_at = when
    target.save(update_fields=["status", "scheduled_at"])
    enqueue(target.pk, when)
    return "deferred"


def _withdrawn(target: ShareTarget, now: datetime) -> str:
    """The item was archived or expired since the post was planned: it does not go out."""
    from ambassade.content.models import Status
    from ambassade.sharing.actions import withdrawal

    item = target.share.item
    if item.status == Status.ARCHIVED:
        why = withdrawal.ARCHIVED
    elif item.status == Status.EXPIRED or (
        item.status == Status.PUBLISHED and item.publish_until and item.publish_until <= now
    ):
        why = withdrawal.EXPIRED  # or its window closed before the expiry job ran
    else:
        why = withdrawal.WITHDRAWN
    # This target only: the item's other posts are cancelled by the subscriber of the
    # item's event, and locking them here could deadlock with their own claims.
    withdrawal.cancel_item_targets(target.organisation, item.pk, why, only=target.pk)
    return "withdrawn"


def _can_find(network: Network) -> bool:
    return type(network).find_post is not Network.find_post


def publish(target_id: int) -> str:
    claimed = _claim(target_id)
    if isinstance(claimed, str):
        return claimed
    target, attempt, uncertain_before = claimed
    account = target.account
    assert account is not None
    network = network_for(target.organisation, target.network)
    post = _post(target)
    credentials = account.credentials
    if uncertain_before:
        # An earlier call may have published: look before posting again.
        if not _can_find(network):
            with transaction.atomic():
                return _to_verify(target, attempt)
        try:
            found = network.find_post(credentials, post)
        except (Transient, RateLimited, NeedsReconnection, Rejected) as error:
            found = None
            if isinstance(error, Transient | RateLimited):
                with transaction.atomic():
                    _finish(attempt, "uncertain", error.message)
                    _retry(
                        target,
                        timezone.now() + backoff(target.tries),
                        FailureKind.TRANSIENT,
                        error.message,
                    )
                return "retry"
        if found is not None:
            with transaction.atomic():
                return _published(target, found, attempt, "found")
    refreshed = False
    while True:
        try:
            published = network.publish(credentials, post)
        except NeedsReconnection as error:
            if refreshed:
                return _needs_reconnection(target, account, attempt, error.message)
            try:
                credentials = network.refresh(credentials)
            except NeedsReconnection as again:
                return _needs_reconnection(target, account, attempt, again.message)
            except (Transient, RateLimited, Rejected) as other:
                with transaction.atomic():
                    _finish(attempt, "transient", other.message)
                    _retry(
                        target,
                        timezone.now() + backoff(target.tries),
                        FailureKind.TRANSIENT,
                        other.message,
                    )
                return "retry"
            with transaction.atomic():
                account.store(credentials)
                account.save(update_fields=["secrets", "expires_at", "updated_at"])
                _finish(attempt, "refreshed", error.message)
                target.tries += 1
                target.save(update_fields=["tries"])
                attempt = PublishAttempt.objects.create(target=target, number=target.tries)
            refreshed = True
            continue
        except RateLimited as error:
            with transaction.atomic():
                SocialAccount.objects.filter(pk=account.pk).update(rate_limited_until=error.until)
                _finish(attempt, "rate_limited", error.message)
                _retry(target, error.until, FailureKind.RATE_LIMITED, error.message)
            return "rate limited"
        except Rejected as error:
            with transaction.atomic():
                return _fail(target, FailureKind.REJECTED, error.message, attempt)
        except Transient as error:
            return _transient(network, credentials, post, target, attempt, error)
        with transaction.atomic():
            return _published(target, published, attempt, "published")


def _needs_reconnection(
    target: ShareTarget, account: SocialAccount, attempt: PublishAttempt, reason: str
) -> str:
    with transaction.atomic():
        SocialAccount.objects.filter(pk=account.pk).update(
            status=SocialAccount.Status.NEEDS_RECONNECTION, last_error=reason[:500]
        )
        return _fail(target, FailureKind.NEEDS_RECONNECTION, reason, attempt)


def _to_verify(target: ShareTarget, attempt: PublishAttempt) -> str:
    reason = _(
        "We cannot tell whether %(network)s published it: check your profile before sharing again."
    ) % {"network": target.network}
    target.status = TargetStatus.TO_VERIFY
    target.failure_kind = FailureKind.TRANSIENT
    target.failure_reason = reason
    target.save(update_fields=["status", "failure_kind", "failure_reason"])
    _finish(attempt, "to_verify", reason)
    _notify(
        target, _("Please check your post on %(network)s") % {"network": target.network}, reason
    )
    return "to verify"


def _transient(
    network: Network,
    credentials: Any,
    post: Post,
    target: ShareTarget,
    attempt: PublishAttempt,
    error: Transient,
) -> str:
    if error.uncertain:
        if not _can_find(network):
            with transaction.atomic():
                return _to_verify(target, attempt)
        try:
            found = network.find_post(credentials, post)
        except (Transient, RateLimited, NeedsReconnection, Rejected):
            found = None
            with transaction.atomic():
                _finish(attempt, "uncertain", error.message)
                _retry(
                    target,
                    timezone.now() + backoff(target.tries),
                    FailureKind.TRANSIENT,
                    error.message,
                )
            return "retry"
        if found is not None:
            with transaction.atomic():
                return _published(target, found, attempt, "found")
    with transaction.atomic():
        if target.tries >= MAX_TRIES:
            return _fail(target, FailureKind.TRANSIENT, error.message, attempt)
        _finish(attempt, "transient", error.message)
        _retry(target, timezone.now() + backoff(target.tries), FailureKind.TRANSIENT, error.message)
    return "retry"


def release_due(now: datetime | None = None) -> int:
    """Queues targets whose time has come (and those a crashed worker left "publishing")."""
    now = now or timezone.now()
    paused = PublishingPause.objects.filter(paused=True).values("organisation_id")
    due = list(
        ShareTarget.objects.filter(
            status__in=(TargetStatus.QUEUED, TargetStatus.SCHEDULED), scheduled_at__lte=now
        )
        .exclude(organisation_id__in=paused)
        .values_list("pk", flat=True)[:1000]
    )
    stale = list(
        ShareTarget.objects.filter(
            status=TargetStatus.PUBLISHING,
            attempts__finished_at__isnull=True,
            attempts__started_at__lt=now - STALE_AFTER,
        )
        .values_list("pk", flat=True)
        .distinct()[:1000]
    )
    from ambassade.sharing.tasks import publish_target

    for target_id in due + stale:
        publish_target.enqueue(target_id)
    return len(due) + len(stale)


def refresh_metrics(days: int = 14) -> int:
    since = timezone.now() - timedelta(days=days)
    targets = ShareTarget.objects.filter(
        status=TargetStatus.PUBLISHED, published_at__gte=since, account__isnull=False
    ).select_related("account", "organisation")[:500]
    done = 0
    for target in targets:
        account = target.account
        assert account is not None
        if not account.secrets:
            continue
        network = network_for(target.organisation, target.network)
        try:
            found = network.metrics(
                account.credentials, Published(remote_id=target.remote_id, url=target.remote_url)
            )
        except (Transient, RateLimited, NeedsReconnection, Rejected):
            continue
        ShareTarget.objects.filter(pk=target.pk).update(
            likes=found.likes,
            reposts=found.reposts,
            replies=found.replies,
            impressions=found.impressions,
            metrics_at=timezone.now(),
        )
        done += 1
    return done


def refresh_audiences() -> int:
    done = 0
    accounts = SocialAccount.objects.filter(status=SocialAccount.Status.CONNECTED).select_related(
        "organisation"
    )[:1000]
    for account in accounts:
        if not account.secrets:
            continue
        network = network_for(account.organisation, account.network)
        try:
            identity = network.identity(account.credentials)
        except NeedsReconnection as error:
            SocialAccount.objects.filter(pk=account.pk).update(
                status=SocialAccount.Status.NEEDS_RECONNECTION, last_error=error.message[:500]
            )
            continue
        except (Transient, RateLimited, Rejected):
            continue
        if identity.audience is not None:
            SocialAccount.objects.filter(pk=account.pk).update(
                audience=identity.audience, audience_measured_at=timezone.now()
            )
            done += 1
    return done
