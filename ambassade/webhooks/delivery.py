"""Sending one message to its endpoint, retrying it, and giving up on a dead endpoint.

A message is sent by a task right after the commit that created it, then by the
periodic ``retry_due_messages`` job when it is due again. Nothing is sent inside a
database transaction: a claim (a short write that moves ``next_attempt_at`` past the
time limit) makes sure only one worker sends it at a time, then the outcome is written.
A 2xx answer delivers it; anything else is tried again after ``BACKOFF`` (about a day
and a half in all), then the message has failed for good. An endpoint whose messages
fail for good ``DISABLE_AFTER`` times in a row, or that has not accepted anything for a
day, is disabled and the organisation's admins are told by mail.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.outbound import OutboundError, fetch
from ambassade.core.roles import Role
from ambassade.people.models import EmploymentStatus, Person
from ambassade.people.notifications import queue as queue_mail
from ambassade.webhooks import keys, signing
from ambassade.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
# Waits before the 2nd, 3rd … 8th try; after the 8th the message has failed for good.
BACKOFF = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
DISABLE_AFTER = 5  # messages failed for good in a row
QUIET_DAY = timedelta(days=1)  # nothing accepted for this long, and a failure: disabled
# A claimed message is not claimed again before this, whatever happens to its worker.
LEASE = timedelta(seconds=TIMEOUT_SECONDS * 6)
BODY_HEAD = 1024


def body_bytes(message: WebhookMessage) -> bytes:
    """The exact bytes sent (and signed): compact JSON, the same on every try."""
    return json.dumps(message.payload, separators=(",", ":"), ensure_ascii=False).encode()


def _claim(message_id: int, now: datetime) -> WebhookMessage | None:
    with transaction.atomic():
        claimed = WebhookMessage.objects.filter(
            pk=message_id, status=WebhookMessage.Status.PENDING, next_attempt_at__lte=now
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    if not claimed:
        return None
    return WebhookMessage.objects.select_related("endpoint", "organisation").get(pk=message_id)


def send(message_id: int) -> str:
    """Sends one message if it is due; returns what happened."""
    now = timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return "not due"
    endpoint = message.endpoint
    if not endpoint.enabled:
        WebhookMessage.objects.filter(pk=message.pk).update(
            status=WebhookMessage.Status.FAILED, next_attempt_at=None
        )
        return "endpoint disabled"
    body = body_bytes(message)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "webhook-id": message.msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signing.signature_header(
            keys.secrets_in_use(endpoint, now), message.msg_id, timestamp, body
        ),
    }
    started = time.monotonic()
    status: int | None = None
    answer = ""
    error = ""
    try:
        response = fetch(
            endpoint.url,
            method="POST",
            headers=headers,
            content=body,
            timeout=TIMEOUT_SECONDS,
            max_redirects=0,  # a redirect is an answer, not a delivery
        )
    except OutboundError as failure:
        error = failure.message[:500]
    else:
        status = response.status
        answer = response.body[:BODY_HEAD].decode("utf-8", errors="replace")
    duration = int((time.monotonic() - started) * 1000)
    return _record(message, now, status, answer, duration, error)


def _record(
    message: WebhookMessage,
    now: datetime,
    status: int | None,
    answer: str,
    duration: int,
    error: str,
) -> str:
    delivered = status is not None and 200 <= status < 300
    with transaction.atomic():
        WebhookAttempt.objects.create(
            message=message,
            at=now,
            response_status=status,
            response_body=answer,
            duration_ms=duration,
            error=error,
        )
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=message.endpoint_id)
        if delivered:
            message.status = WebhookMessage.Status.DELIVERED
            message.next_attempt_at = None
            endpoint.consecutive_failures = 0
            endpoint.last_success_at = now
            endpoint.save(update_fields=["consecutive_failures", "last_success_at"])
            outcome = "delivered"
        elif message.attempts < MAX_ATTEMPTS:
            message.next_attempt_at = now + BACKOFF[message.attempts - 1]
            outcome = "retry"
        else:
            message.status = WebhookMessage.Status.FAILED
            message.next_attempt_at = None
            outcome = "failed"
            _count_failure(endpoint, now)
        message.save(update_fields=["status", "next_attempt_at"])
    return outcome


def _count_failure(endpoint: WebhookEndpoint, now: datetime) -> None:
    """One more message failed for good: disables the endpoint past the limits."""
    endpoint.consecutive_failures += 1
    endpoint.save(update_fields=["consecutive_failures"])
    quiet_since = max(
        moment
        for moment in (endpoint.last_success_at, endpoint.enabled_at, endpoint.created_at)
        if moment is not None
    )
    if not endpoint.enabled:
        return
    if endpoint.consecutive_failures >= DISABLE_AFTER:
        reason = _("%(count)d messages in a row could not be delivered.") % {
            "count": endpoint.consecutive_failures
        }
    elif now - quiet_since >= QUIET_DAY:
        reason = _("No message has been delivered for a day.")
    else:
        return
    disable_automatically(endpoint, reason)


def disable_automatically(endpoint: WebhookEndpoint, reason: str) -> None:
    """In the caller's transaction: disables, audits and tells the admins after commit."""
    organisation = endpoint.organisation
    endpoint.enabled = False
    endpoint.disabled_reason = reason[:300]
    endpoint.save(update_fields=["enabled", "disabled_reason", "updated_at"])
    audit.record(
        "webhook_endpoint.disabled_automatically",
        organisation=organisation,
        actor=None,
        target=endpoint,
        after={"reason": endpoint.disabled_reason},
    )
    link = settings.BASE_URL + reverse("webhooks:endpoint", args=[endpoint.pk])
    admins = (
        Person.objects.filter(
            organisation=organisation, role_assignments__role=Role.ADMIN, anonymised_at__isnull=True
        )
        .exclude(employment_status=EmploymentStatus.LEFT)
        .select_related("user")
        .distinct()
    )
    for admin in admins:
        language = (admin.user.language if admin.user else "") or organisation.default_language
        with translation.override(language):
            subject = _("A webhook endpoint was disabled")
            body = _(
                "Hello %(name)s,\n\nAmbassade stopped sending events to %(url)s: %(reason)s\n\n"
                "Check the receiving service, then enable the endpoint again:\n\n%(link)s"
            ) % {
                "name": admin.first_name,
                "url": endpoint.url,
                "reason": reason,
                "link": link,
            }
            queue_mail(
                organisation.slug,
                subject,
                body,
                [admin.email],
                action_url=link,
                action_label=_("Open the endpoint"),
            )


def due_messages(now: datetime | None = None, limit: int = 500) -> list[int]:
    now = now or timezone.now()
    return list(
        WebhookMessage.objects.filter(
            status=WebhookMessage.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def queue(message_ids: list[int]) -> None:
    """Queues the sending of these messages (call it on commit)."""
    from ambassade.webhooks.tasks import send_message

    for message_id in message_ids:
        try:
            send_message.enqueue(message_id)
        except Exception:  # the queue is down: the periodic job sends it later
            logger.exception("webhook message not queued", extra={"webhook_message": message_id})
