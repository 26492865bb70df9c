"""The publishing engine: one task per target, never posting twice.

1. *Claim* (one transaction, committed): the target must be queued or scheduled and
   due; the organisation's pause must not hold its author (the people a pause exempts
   go through); the item must still be live (archived or
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

Every call goes through ``calls.on_behalf`` (fresh credentials, one refresh under the
account's lock, one retry after a 401).

When an earlier call may have published (a timeout after sending, a dead worker), the
engine asks the network's ``find_post`` and posts again only when it positively says
"not there", ``lookup_grace`` or more after that call; a look-up that cannot conclude
is tried again within ``MAX_TRIES``, and anything else (reconnection needed, the read
refused, a network that cannot tell, the limit reached) leaves the target "to verify"
for its author (docs/decisions/0013-uncertain-outcomes.md).
"""

from __future__ import annotations

import logging
import mimetypes
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassade.core import events, mail
from ambassade.core.batch import each
from ambassade.programs.selectors import may_share
from ambassade.sharing import preview, scheduling, selectors
from ambassade.sharing.calls import on_behalf
from ambassade.sharing.models import (
    FailureKind,
    PublishAttempt,
    PublishingPause,
    ShareTarget,
    SocialAccount,
    TargetStatus,
)
from ambassade.sharing.networks.base import (
    CannotTell,
    Credentials,
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
T = TypeVar("T")
MAX_TRIES = 6
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
STALE_AFTER = timedelta(minutes=10)  # a "publishing" target this old lost its worker
# A target the rules allow within this is waited for by the worker (holding no lock), not
# queued again: a queue may run a deferred job a little early (RQ keeps whole seconds),
# and publishing at once would put it inside a colleague's stagger gap.
SOON = timedelta(seconds=5)

# Outcomes of attempts that matter to the rule for uncertain outcomes
# (docs/decisions/0013-uncertain-outcomes.md).
UNCERTAIN = "uncertain"  # the call may have published; look before posting again
UNCHECKED = "unchecked"  # a look-up could not conclude; nothing was sent
ABSENT = "absent"  # an uncertain call known not to have published (a look-up, the person)
MAY_HAVE_POSTED = ("", UNCERTAIN)  # "": the worker died during the call


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
    """What the network module sends: built by the function the composer's preview reads."""
    share = target.share
    item = share.item
    link = target.tracked_link
    if link is not None and link.organisation_id == target.organisation_id:
        link.organisation = target.organisation  # already read with the claim: not again
    image, image_type = None, ""
    if item.image:
        path = Path(settings.MEDIA_ROOT) / item.image
        if path.is_file() and path.stat().st_size < 1_000_000:
            image = path.read_bytes()
            image_type = mimetypes.guess_type(path.name)[0] or "image/jpeg"
    post, _disclosure = preview.post_for(
        target.organisation,
        item,
        share.message,
        target.network,
        short_url(link) if link is not None else (item.url or ""),
        image=image,
        image_type=image_type,
        idempotency_key=str(target.idempotency_key),
        person=share.person,
    )
    return post


def _notify(target: ShareTarget, subject: str, body: str, action_url: str) -> None:
    person = target.share.person
    if not person.email:
        return
    slug = target.organisation.slug
    email = person.email
    language = translation.get_language()

    def send() -> None:
        try:
            mail.send(
                organisation_slug=slug,
                subject=subject,
                body=body,
                to=[email],
                action_url=action_url,
                language=language,
            )
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
    # The person hears of it from the notifications app (one notice, linking to the post
    # and the action that fixes it), which subscribes to this event: no mail from here.
    _announce(target, "sharing.share_failed", kind=kind)
    return f"failed:{kind}"


def _finish(attempt: PublishAttempt, outcome: str, detail: str = "") -> None:
    if attempt.outcome == UNCERTAIN and outcome not in ("found", ABSENT):
        outcome = UNCERTAIN  # the evidence that a call may have published is never erased
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
    _announce(target, "sharing.share_published", post_url=target.remote_url)
    return "published"


def _announce(target: ShareTarget, name: str, **payload: str) -> None:
    """The target's outcome for the apps above (docs/events.md), in the caller's transaction."""
    share = target.share
    events.record(
        name,
        target.organisation,
        target_id=target.pk,
        share_id=share.pk,
        person_id=share.person_id,
        item_id=share.item_id,
        network=target.network,
        **payload,
    )


def _retry(target: ShareTarget, when: datetime, kind: str, reason: str) -> None:
    target.status = TargetStatus.QUEUED
    target.scheduled_at = when
    target.failure_kind = kind
    target.failure_reason = reason[:500]
    target.save(update_fields=["status", "scheduled_at", "failure_kind", "failure_reason"])
    enqueue(target.pk, when)


def _claim(target_id: int) -> tuple[ShareTarget, PublishAttempt, bool] | str | datetime:
    """Step 1, committed before any network call. Returns a reason string when not to call,
    or the moment, within ``SOON``, from which it may."""
    with transaction.atomic():
        # One query for the target, its row lock (the target's row alone: PostgreSQL
        # refuses to lock the nullable side of an outer join) and what the claim reads.
        target = (
            ShareTarget.objects.select_for_update(of=("self",))
            .select_related(
                "share",
                "share__person",
                "share__person__user",
                "share__item",
                "share__item__program",
                "account",
                "organisation",
                "tracked_link",
            )
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
        if selectors.holds(target.organisation_id, target.share.person_id):
            # Held, not failed: it waits for the pause to end (or for its author).
            target.status = TargetStatus.PAUSED
            target.save(update_fields=["status"])
            return "paused"
        claimed_from = target.status
        if claimed_from != TargetStatus.PUBLISHING and not target.share.item.is_live:
            return _withdrawn(target, now)
        decision = may_share(target.share.person, target.share.item.program, target.network)
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
        # Attempts are only made after ``tries`` counts them: a first claim has none to read.
        previous = (
            target.tries > 0 and target.attempts.filter(outcome__in=("", "uncertain")).exists()
        )
        target.tries += 1
        target.status = TargetStatus.PUBLISHING
        target.save(update_fields=["tries", "status", "scheduled_at"])
        attempt = PublishAttempt.objects.create(target=target, number=target.tries)
    return target, attempt, previous


def _restrained(target: ShareTarget, now: datetime) -> str | datetime | None:
    """Quiet hours, the daily cap and the stagger, checked again at claim time (a retry, a
    resumed pause or a stagger may have brought the target into them): a target that may
    not go out now is rescheduled to the first moment it may, or, when that is within
    ``SOON``, the moment is returned for the worker to wait for."""
    scheduling.hold(target.share.person_id, target.share.item_id)
    options = settings_of(target.organisation)
    when = scheduling.claim_time(options, scheduling.zone_of(target.share.person), target, now)
    if when <= now:
        return None
    if when <= now + SOON:
        return when
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


@dataclass
class _Run:
    """A claimed target on its way to the network. A refresh that calls the network a
    second time opens a new attempt, so ``attempt`` changes."""

    target: ShareTarget
    attempt: PublishAttempt
    account: SocialAccount
    network: Network
    post: Post

    def call(self, do: Callable[[Credentials], T]) -> T:
        return on_behalf(self.account, self.network, do, before_retry=self._next_attempt)

    def _next_attempt(self, reason: str) -> None:
        with transaction.atomic():
            _finish(self.attempt, "refreshed", reason)
            self.target.tries += 1
            self.target.save(update_fields=["tries"])
            self.attempt = PublishAttempt.objects.create(
                target=self.target, number=self.target.tries
            )


def publish(target_id: int) -> str:
    claimed = _claim(target_id)
    for _wait in range(3):
        if not isinstance(claimed, datetime):
            break
        # Allowed in a few seconds: wait outside any transaction, then claim again (a
        # colleague may have gone out meanwhile).
        time.sleep(max(0.0, (claimed - timezone.now()).total_seconds()))
        claimed = _claim(target_id)
    if isinstance(claimed, datetime):
        return "not due"  # still waiting: release_due queues it again, it is due
    if isinstance(claimed, str):
        return claimed
    target, attempt, uncertain_before = claimed
    assert target.account is not None
    network = network_for(target.organisation, target.network)
    run = _Run(target, attempt, target.account, network, _post(target))
    since = _uncertain_since(run) if uncertain_before else None
    if since is not None:
        # An earlier call may have published: post again only once a look-up has
        # positively said "not there", late enough to be trusted.
        looked = _look(run, since, may_post=True)
        if looked is not None:
            return looked
    return _send(run)


def _uncertain_since(run: _Run) -> datetime | None:
    """When the latest call that may have published started (None: there is none)."""
    return (
        run.target.attempts.filter(outcome__in=MAY_HAVE_POSTED)
        .exclude(pk=run.attempt.pk)
        .order_by("-number")
        .values_list("started_at", flat=True)
        .first()
    )


def _send(run: _Run) -> str:
    target = run.target
    try:
        published = run.call(lambda credentials: run.network.publish(credentials, run.post))
    except NeedsReconnection as error:
        # The one path refreshed once and marked the account if its stored credentials
        # were refused; this target stops and its author is told.
        with transaction.atomic():
            return _fail(target, FailureKind.NEEDS_RECONNECTION, error.message, run.attempt)
    except RateLimited as error:
        with transaction.atomic():
            SocialAccount.objects.filter(pk=run.account.pk).update(rate_limited_until=error.until)
            _finish(run.attempt, "rate_limited", error.message)
            _retry(target, error.until, FailureKind.RATE_LIMITED, error.message)
        return "rate limited"
    except Rejected as error:
        with transaction.atomic():
            return _fail(target, FailureKind.REJECTED, error.message, run.attempt)
    except Transient as error:
        if not error.uncertain:
            return _later(run, "transient", error.message)
        with transaction.atomic():
            _finish(run.attempt, UNCERTAIN, error.message)  # committed before anything else
        # Found at once: published. Otherwise look again later, never post now.
        return _look(run, run.attempt.started_at, may_post=False) or "retry"
    with transaction.atomic():
        return _published(target, published, run.attempt, "published")


def _look(run: _Run, since: datetime, *, may_post: bool) -> str | None:
    """After an uncertain outcome. ``None``: "not there" is certain, post again."""
    try:
        found = run.call(lambda credentials: run.network.find_post(credentials, run.post, since))
    except NeedsReconnection as error:
        return _to_verify(run, FailureKind.NEEDS_RECONNECTION, error.message)
    except (CannotTell, Rejected) as error:
        return _to_verify(run, FailureKind.NONE, error.message)
    except RateLimited as error:
        return _later(run, UNCHECKED, error.message, when=error.until)
    except Transient as error:
        return _later(run, UNCHECKED, error.message)
    if found is not None:
        with transaction.atomic():
            return _published(run.target, found, run.attempt, "found")
    trusted_from = since + run.network.lookup_grace
    if not may_post or timezone.now() < trusted_from:
        # Too early to trust "not there" (reads lag, or the first request still runs).
        reason = _("Not found on %(network)s yet; looking again before posting.") % {
            "network": run.target.network_name
        }
        return _later(run, UNCHECKED, reason, when=trusted_from)
    with transaction.atomic():
        # Those calls are now known not to have published: this attempt may post.
        run.target.attempts.filter(outcome__in=MAY_HAVE_POSTED).exclude(pk=run.attempt.pk).update(
            outcome=ABSENT,
            detail=_("Not found on the network."),
            finished_at=Coalesce("finished_at", timezone.now()),
        )
    return None


def _later(run: _Run, outcome: str, reason: str, when: datetime | None = None) -> str:
    """Try again after the backoff (or ``when``); at the limit, to verify or failed."""
    target, attempt = run.target, run.attempt
    with transaction.atomic():
        if target.tries >= MAX_TRIES:
            uncertain = (
                attempt.outcome == UNCERTAIN
                or target.attempts.filter(outcome__in=MAY_HAVE_POSTED)
                .exclude(pk=attempt.pk)
                .exists()
            )
            if uncertain:
                return _to_verify(run, FailureKind.TRANSIENT, reason)
            return _fail(target, FailureKind.TRANSIENT, reason, attempt)
        _finish(attempt, outcome, reason)
        at = timezone.now() + backoff(target.tries)
        _retry(target, max(at, when) if when else at, FailureKind.TRANSIENT, reason)
    return "retry"


def _to_verify(run: _Run, kind: str, detail: str) -> str:
    """Nobody can tell whether the post went out: the person checks (posts.html)."""
    target = run.target
    network = target.network_name
    if kind == FailureKind.NEEDS_RECONNECTION:
        reason = _(
            "We could not check whether %(network)s published it: connect the account "
            "again, then check your profile."
        ) % {"network": network}
    else:
        reason = _(
            "We cannot tell whether %(network)s published it: check your profile before "
            "sharing again."
        ) % {"network": network}
    with transaction.atomic():
        target.status = TargetStatus.TO_VERIFY
        target.failure_kind = kind
        target.failure_reason = reason[:500]
        target.save(update_fields=["status", "failure_kind", "failure_reason"])
        _finish(run.attempt, "to_verify", detail)
        _notify(
            target,
            _("Please check your post on %(network)s") % {"network": network},
            "\n\n".join(
                [
                    _("“%(title)s” may or may not be on %(network)s.")
                    % {"title": target.share.item.title, "network": network},
                    reason,
                    _("See your posts: %(url)s") % {"url": _fix_url("")},
                ]
            ),
            _fix_url(""),
        )
    return "to verify"


def release_due(now: datetime | None = None) -> int:
    """Queues targets whose time has come (and those a crashed worker left "publishing")."""
    now = now or timezone.now()
    paused = PublishingPause.objects.filter(paused=True).values("organisation_id")
    exempt = PublishingPause.exempt.through.objects.filter(publishingpause__paused=True).values(
        "person_id"
    )
    due = list(
        ShareTarget.objects.filter(
            status__in=(TargetStatus.QUEUED, TargetStatus.SCHEDULED), scheduled_at__lte=now
        )
        # A paused organisation's posts wait, but for those of the people it exempts.
        .exclude(Q(organisation_id__in=paused) & ~Q(share__person_id__in=exempt))
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

    return each("sharing.release_due", due + stale, publish_target.enqueue).done
