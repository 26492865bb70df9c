"""Posting one message to a channel's webhook, and keeping the channel's record of it.

``send`` only talks to the webhook (through core/outbound.py, the SSRF guard) and says
what happened in plain words; ``record`` writes the delivery log and the channel's
status, and pauses a channel after PAUSE_AFTER failures in a row (its admins are told).
A failure worth retrying (the service's 5xx or 429, a timeout, no answer) is
``retryable``: the callers retry it (sending.py's backoff for featured content, the next
hourly run for the weekly summary); a 4xx will not get better by itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassade.chat_channels.messages import Post, body_for
from ambassade.chat_channels.models import PAUSE_AFTER, ChatChannel, ChatDelivery, Kind
from ambassade.core import audit, mail, outbound
from ambassade.core.roles import Role
from ambassade.people.models import EmploymentStatus, Person

TIMEOUT_SECONDS = 10.0
# A failure with no answer at all: the network, not the channel.
RETRYABLE_CODES = {"timeout", "unreachable", "dns_failure"}


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status: int | None
    message: str  # for people: what happened, and what to do
    retryable: bool = False


def _service(channel: ChatChannel) -> str:
    return "Slack" if channel.kind == Kind.SLACK else "Microsoft Teams"


def _later(will_retry: bool) -> str:
    if will_retry:
        return _("The message will be sent again later.")
    return _("Try again in a few minutes.")


def outcome_of_status(
    channel: ChatChannel, status: int, answer: str, will_retry: bool = True
) -> Outcome:
    service = _service(channel)
    words = {"service": service, "status": status, "answer": answer[:200]}
    if 200 <= status < 300:
        return Outcome(True, status, _("Delivered: %(service)s accepted the message.") % words)
    if status in (404, 410):
        message = _(
            "%(service)s answered %(status)s: this webhook no longer exists (deleted, or its "
            "workflow turned off). Create a new one and connect it again."
        )
    elif status in (401, 403):
        message = _(
            "%(service)s refused the message (%(status)s): the webhook is no longer allowed "
            "to post in this channel."
        )
    elif status == 429:
        return Outcome(
            False,
            status,
            _("%(service)s asks to slow down (429).") % words + " " + _later(will_retry),
            retryable=True,
        )
    elif status >= 500:
        return Outcome(
            False,
            status,
            _("%(service)s had a problem (%(status)s).") % words + " " + _later(will_retry),
            retryable=True,
        )
    else:
        message = _("%(service)s refused the message (%(status)s): %(answer)s")
    return Outcome(False, status, message % words)


def send(channel: ChatChannel, post: Post, will_retry: bool = True) -> Outcome:
    body = json.dumps(body_for(channel.kind, post)).encode()
    try:
        response = outbound.fetch(
            channel.webhook_url,
            method="POST",
            headers={"Content-Type": "application/json"},
            content=body,
            timeout=TIMEOUT_SECONDS,
            max_bytes=64 * 1024,
            max_redirects=0,
        )
    except outbound.OutboundError as error:
        retryable = error.code in RETRYABLE_CODES
        message = error.message
        if retryable:
            message += " " + _later(will_retry)
        return Outcome(False, None, message, retryable=retryable)
    return outcome_of_status(channel, response.status, response.text().strip(), will_retry)


def record(
    channel: ChatChannel, what: str, outcome: Outcome, event_id: int | None = None
) -> ChatDelivery:
    """The delivery log and the channel's status; call inside a transaction."""
    delivery = ChatDelivery.objects.create(
        organisation_id=channel.organisation_id,
        channel=channel,
        what=what,
        event_id=event_id,
        status_code=outcome.status,
        ok=outcome.ok,
        error="" if outcome.ok else outcome.message[:500],
    )
    record_on_channel(channel, outcome)
    return delivery


def record_on_channel(channel: ChatChannel, outcome: Outcome) -> None:
    """The channel's status after a message's final outcome, and its pause after
    PAUSE_AFTER failures in a row; call inside a transaction, the channel locked."""
    now = timezone.now()
    channel.last_status = outcome.status
    channel.last_error = "" if outcome.ok else outcome.message[:500]
    channel.last_delivery_at = now
    channel.consecutive_failures = 0 if outcome.ok else channel.consecutive_failures + 1
    pausing = (
        not outcome.ok and channel.consecutive_failures >= PAUSE_AFTER and channel.paused_at is None
    )
    if pausing:
        channel.paused_at = now
        audit.record(
            "chat_channel.paused",
            organisation=channel.organisation,
            actor=None,
            target=channel,
            after={"consecutive_failures": channel.consecutive_failures},
        )
        transaction.on_commit(lambda: tell_admins_of_pause(channel.pk))
    channel.save(
        update_fields=[
            "last_status",
            "last_error",
            "last_delivery_at",
            "consecutive_failures",
            "paused_at",
        ]
    )


def channel_page(channel: ChatChannel) -> str:
    path = reverse("chat_channels:program", args=[channel.program_id])
    return settings.BASE_URL.rstrip("/") + path


def tell_admins_of_pause(channel_id: int) -> int:
    channel = (
        ChatChannel.objects.select_related("organisation", "program").filter(pk=channel_id).first()
    )
    if channel is None:
        return 0
    organisation = channel.organisation
    admins = list(
        Person.objects.filter(
            organisation=organisation,
            role_assignments__role=Role.ADMIN,
            anonymised_at__isnull=True,
        )
        .exclude(employment_status=EmploymentStatus.LEFT)
        .values_list("email", flat=True)
        .distinct()
    )
    if not admins:
        return 0
    language = organisation.default_language or "en"
    link = channel_page(channel)
    with translation.override(language):
        words = {
            "channel": channel.name,
            "program": channel.program.name,
            "count": channel.consecutive_failures,
            "error": channel.last_error,
            "link": link,
        }
        return mail.send(
            organisation_slug=organisation.slug,
            subject=_("The channel “%(channel)s” is paused") % words,
            body=_(
                "The %(count)s last messages to the channel “%(channel)s” of the program "
                "“%(program)s” failed; the last answer was:\n\n%(error)s\n\n"
                "Nothing more is sent there until someone turns it back on. Check the webhook "
                "and send a test message: %(link)s"
            )
            % words,
            to=admins,
            action_url=link,
            action_label=_("Check the channel"),
            language=language,
        )
