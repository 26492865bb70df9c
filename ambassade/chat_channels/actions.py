"""Connecting, changing, testing and disconnecting a program's Slack or Teams channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.chat_channels import delivery
from ambassade.chat_channels.models import ChatChannel, Kind, What
from ambassade.chat_channels.posts import test_post
from ambassade.core import audit, outbound
from ambassade.core.authz import Actor, allowed_on_program
from ambassade.programs.models import Program

SLACK_HOSTS = ("hooks.slack.com",)
# Teams' Workflows webhooks: Logic Apps (…logic.azure.com) or Power Platform/Automate.
TEAMS_SUFFIXES = (".logic.azure.com", ".powerplatform.com", ".powerautomate.com")


@dataclass(frozen=True)
class Connected:
    channel: ChatChannel
    warning: str  # empty, or why the address does not look like the kind chosen


def _check_permission(actor: Actor, program: Program) -> None:
    if not allowed_on_program(actor, "chat_channels.manage", program):
        raise PermissionDenied


def check_webhook(kind: str, url: str) -> tuple[str, str]:
    """(host, warning) for a webhook address, or a ValidationError on ``webhook_url``."""
    url = url.strip()
    if not url:
        raise ValidationError({"webhook_url": _("Paste the webhook address.")})
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(
            {"webhook_url": _("This is not a web address; it should start with https://.")}
        )
    host = parts.hostname.lower()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValidationError({"webhook_url": _("This is not a valid web address.")}) from None
    # Plain http would send the secret address and the messages in clear; only a host the
    # operator vouches for (an intranet relay, the tests' local receivers) may use it.
    if parts.scheme != "https" and not outbound.operator_allows(host, port):
        raise ValidationError(
            {"webhook_url": _("The address must start with https://: http:// is not encrypted.")}
        )
    try:
        outbound.check_url(url)
    except outbound.OutboundError as error:
        raise ValidationError({"webhook_url": error.message}) from None
    if kind == Kind.SLACK and host not in SLACK_HOSTS:
        warning = _(
            "This address does not look like a Slack incoming webhook "
            "(https://hooks.slack.com/…); check it with a test message."
        )
    elif kind == Kind.TEAMS and not host.endswith(TEAMS_SUFFIXES):
        warning = _(
            "This address does not look like a Teams Workflows webhook (…logic.azure.com or "
            "…powerplatform.com); check it with a test message."
        )
    else:
        warning = ""
    return host, warning


def _clean_name(program: Program, name: str, channel: ChatChannel | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the channel a name, such as #ambassadors.")})
    if len(name) > 80:
        raise ValidationError({"name": _("At most %(limit)d characters.") % {"limit": 80}})
    taken = ChatChannel.objects.filter(program=program, name=name)
    if channel is not None:
        taken = taken.exclude(pk=channel.pk)
    if taken.exists():
        raise ValidationError({"name": _("This program already has a channel with this name.")})
    return name


def _snapshot(channel: ChatChannel) -> dict[str, Any]:
    # Never the webhook itself: the audit log shows its host only.
    return {
        "kind": channel.kind,
        "name": channel.name,
        "webhook_host": channel.webhook_host,
        "send_featured": channel.send_featured,
        "send_weekly": channel.send_weekly,
        "enabled": channel.enabled,
    }


@transaction.atomic
def connect(
    actor: Actor,
    program: Program,
    *,
    kind: str,
    name: str,
    webhook_url: str,
    send_featured: bool = True,
    send_weekly: bool = True,
) -> Connected:
    _check_permission(actor, program)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose Slack or Microsoft Teams.")})
    name = _clean_name(program, name)
    host, warning = check_webhook(kind, webhook_url)
    channel = ChatChannel(
        organisation=program.organisation,
        program=program,
        kind=kind,
        name=name,
        send_featured=send_featured,
        send_weekly=send_weekly,
    )
    channel.store_webhook(webhook_url.strip(), host)
    channel.save()
    audit.record(
        "chat_channel.connected",
        organisation=actor.organisation,
        actor=actor,
        target=channel,
        after=_snapshot(channel),
    )
    return Connected(channel, warning)


@transaction.atomic
def change(
    actor: Actor,
    channel: ChatChannel,
    *,
    name: str | None = None,
    send_featured: bool | None = None,
    send_weekly: bool | None = None,
    enabled: bool | None = None,
) -> ChatChannel:
    _check_permission(actor, channel.program)
    before = _snapshot(channel)
    if name is not None:
        channel.name = _clean_name(channel.program, name, channel)
    if send_featured is not None:
        channel.send_featured = send_featured
    if send_weekly is not None:
        channel.send_weekly = send_weekly
    if enabled is not None:
        channel.enabled = enabled
        if enabled and channel.paused_at is not None:
            # Turned back on by a person: a fresh start after the pause.
            channel.paused_at = None
            channel.consecutive_failures = 0
    channel.save()
    after = _snapshot(channel)
    changed = sorted(key for key in after if before[key] != after[key])
    if changed:
        audit.record(
            "chat_channel.changed",
            organisation=actor.organisation,
            actor=actor,
            target=channel,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return channel


@transaction.atomic
def disconnect(actor: Actor, channel: ChatChannel) -> None:
    _check_permission(actor, channel.program)
    audit.record(
        "chat_channel.disconnected",
        organisation=actor.organisation,
        actor=actor,
        target=channel,
        before=_snapshot(channel),
    )
    channel.delete()


def send_test(actor: Actor, channel: ChatChannel) -> delivery.Outcome:
    """Posts a test message now (even to a paused channel) and says what happened.

    The request is made outside any transaction (it may take seconds); its outcome is
    then written in one."""
    _check_permission(actor, channel.program)
    outcome = delivery.send(channel, test_post(channel.program), will_retry=False)
    with transaction.atomic():
        channel = ChatChannel.objects.select_for_update().get(pk=channel.pk)
        delivery.record(channel, What.TEST, outcome)
        audit.record(
            "chat_channel.tested",
            organisation=actor.organisation,
            actor=actor,
            target=channel,
            after={"ok": outcome.ok, "status": outcome.status},
        )
    return outcome
