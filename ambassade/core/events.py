"""Domain events: what lower apps tell higher ones, without importing them.

An action records an event in its own transaction (``record``); each subscriber of the
event gets a delivery row in that same transaction, so a rolled-back action leaves no
event and a committed one cannot lose a delivery. After commit, one task per event runs
its subscribers one after the other (``deliver``), each in a transaction that also marks
its delivery done: a subscriber's work is committed exactly once. (One task per event,
not per delivery: the queue's own bookkeeping costs more than most subscribers, and a
published post, with two subscribers, made two tasks on the workers that publish.) A
subscriber that raises is rolled back and retried with backoff by the periodic ``redeliver_events``
job, which also picks up deliveries whose task never ran (a queue outage, a worker killed).

Higher apps subscribe in their ``subscribers`` module, imported by their AppConfig.ready::

    @subscribe("content.item_archived")
    def cancel_posts(event: DomainEvent) -> None: ...

Event names and their versions are listed in ``CATALOGUE`` and in docs/events.md.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ambassade.core.models import DomainEvent, EventDelivery, Organisation

logger = logging.getLogger(__name__)

# name -> version of its payload. A change that breaks subscribers is a new version.
CATALOGUE: dict[str, int] = {
    "content.item_archived": 1,
    "content.item_expired": 1,
    "content.item_published": 1,
    "content.item_featured": 1,
    "content.suggestion_decided": 1,
    "programs.charter_published": 1,
    "programs.invitation_sent": 1,
    "programs.enrolment_started": 1,
    "programs.enrolment_ended": 1,
    "sharing.share_published": 1,
    "sharing.share_failed": 1,
    "sharing.share_declared": 1,
    "sharing.account_needs_reconnection": 1,
    "sharing.account_expiring": 1,
    "contributions.contribution_logged": 1,
    "learning.module_published": 1,
    "learning.module_passed": 1,
    "incidents.report_opened": 1,
    "incidents.report_escalated": 1,
    "incidents.report_resolved": 1,
    "coaching.question_asked": 1,
    "coaching.question_answered": 1,
    "field.report_filed": 1,
    "field.report_answered": 1,
    "field.report_accepted": 1,
    "delegation.draft_submitted": 1,
    "delegation.draft_decided": 1,
    "crisis.started": 1,
    "crisis.ended": 1,
    "recognition.reward_request_decided": 1,
    "recognition.badge_awarded": 1,
    "recognition.challenge_completed": 1,
    "tracking.conversion_reported": 1,
    "people.alumni_offer_ended": 1,
}

# A delivery's task normally runs right after commit; the periodic job only takes
# deliveries this much older, so the two rarely run the same delivery (harmless if so).
GRACE = timedelta(minutes=1)
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600

Subscriber = Callable[[DomainEvent], None]
_SUBSCRIBERS: dict[str, dict[str, Subscriber]] = {}


def subscriber_key(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def subscribe(name: str) -> Callable[[Subscriber], Subscriber]:
    if name not in CATALOGUE:
        raise ValueError(f"unknown event {name!r}: add it to core/events.py and docs/events.md")

    def register(function: Subscriber) -> Subscriber:
        _SUBSCRIBERS.setdefault(name, {})[subscriber_key(function)] = function
        return function

    return register


def subscribers(name: str) -> dict[str, Subscriber]:
    return dict(_SUBSCRIBERS.get(name, {}))


def record(name: str, organisation: Organisation | None, **payload: Any) -> DomainEvent:
    """Records an event in the current transaction; its deliveries are queued on commit."""
    if name not in CATALOGUE:
        raise ValueError(f"unknown event {name!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record() belongs inside the action's transaction")
    event = DomainEvent.objects.create(
        organisation=organisation, name=name, version=CATALOGUE[name], payload=payload
    )
    later = event.occurred_at + GRACE
    ids = [
        EventDelivery.objects.create(event=event, subscriber=key, next_attempt_at=later).pk
        for key in subscribers(name)
    ]
    if ids:
        transaction.on_commit(lambda: _dispatch_together(ids))
    return event


def _dispatch_together(ids: list[int]) -> None:
    """One task for the deliveries of one event."""
    from ambassade.core.tasks import deliver_events

    try:
        deliver_events.enqueue(ids)
    except Exception:  # the queue is down: the periodic job delivers them later
        logger.exception("event deliveries not queued", extra={"deliveries": ids})


def deliver_all(ids: list[int]) -> list[str]:
    """Runs the deliveries one after the other: one that cannot run (the database went
    away mid-way) is left pending for the periodic job, and the others still run."""
    outcomes = []
    for delivery_id in ids:
        try:
            outcomes.append(deliver(delivery_id))
        except Exception:
            logger.exception("event delivery not run", extra={"delivery": delivery_id})
            outcomes.append("not run")
    return outcomes


def _dispatch(ids: list[int]) -> None:
    """One task per delivery: the periodic job's, so that a backlog spreads over workers."""
    from ambassade.core.tasks import deliver_event

    for delivery_id in ids:
        try:
            deliver_event.enqueue(delivery_id)
        except Exception:  # the queue is down: the periodic job delivers it later
            logger.exception("event delivery not queued", extra={"delivery": delivery_id})


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def deliver(delivery_id: int) -> str:
    """Runs one subscriber for one event, once; returns what happened."""
    with transaction.atomic():
        # The claim is a write: on PostgreSQL a second worker waits on the row, then finds
        # it done; on SQLite the transaction already holds the write lock.
        claimed = EventDelivery.objects.filter(
            pk=delivery_id, status=EventDelivery.Status.PENDING
        ).update(attempts=F("attempts") + 1)
        if not claimed:
            return "done already"
        delivery = EventDelivery.objects.select_related("event", "event__organisation").get(
            pk=delivery_id
        )
        event = delivery.event
        function = _SUBSCRIBERS.get(event.name, {}).get(delivery.subscriber)
        now = timezone.now()
        try:
            if function is None:
                raise LookupError(f"no subscriber {delivery.subscriber} for {event.name}")
            with transaction.atomic():  # a failing subscriber's writes are rolled back
                function(event)
        except Exception as error:
            logger.exception(
                "event subscriber failed",
                extra={"event": event.name, "subscriber": delivery.subscriber},
            )
            delivery.last_error = "".join(traceback.format_exception_only(error))[:2000]
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
            delivery.save(update_fields=["last_error", "next_attempt_at"])
            return "failed"
        delivery.status = EventDelivery.Status.DONE
        delivery.delivered_at = now
        delivery.last_error = ""
        delivery.save(update_fields=["status", "delivered_at", "last_error"])
    return "delivered"


def redeliver(now: datetime | None = None, limit: int = 500) -> int:
    """Queues the deliveries that are due again (failed, or whose task never ran)."""
    now = now or timezone.now()
    due = list(
        EventDelivery.objects.filter(status=EventDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    _dispatch(due)
    return len(due)
