"""The "push" notification channel: one message to every device of a person.

Each message is encrypted for the device (RFC 8291, aes128gcm, by pywebpush and http-ece),
signed with our VAPID key (RFC 8292) and posted to the device's push service through the
SSRF-guarded outbound client (core/outbound.py), never with a client of its own.

- 2xx: delivered; the device's failure count goes back to 0;
- 404 or 410: the subscription expired or was withdrawn: the device is forgotten;
- anything else (429, 5xx, no answer): counted on the device; when no device got the
  message, ``PushFailed`` is raised so that the caller's retry applies. When one device
  got it and another did not, nothing is raised: a retry would send it twice to the first.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import F
from django.utils import timezone
from pywebpush import WebPusher

from ambassade.core import outbound
from ambassade.notifications.channels import Message
from ambassade.people.models import Person
from ambassade.push import actions, vapid
from ambassade.push.models import PushSubscription

GONE = {404, 410}
# A push message carries at most 4 KB once encrypted; a notification's body is cut short.
BODY_LIMIT = 1000
# How long the push service keeps a message for a device that is off (seconds).
TIME_TO_LIVE = 24 * 3600


class PushFailed(Exception):
    """No device got the message, for a reason worth a retry (the message says which)."""


def payload(message: Message) -> bytes:
    body = message.body if len(message.body) <= BODY_LIMIT else message.body[: BODY_LIMIT - 1]
    data: dict[str, Any] = {
        "title": message.title,
        "body": body + ("…" if body != message.body else ""),
        "url": message.url,
        # One entry per notification on the device: a resent message replaces its copy.
        "tag": f"notification-{message.notification_id}",
    }
    return json.dumps(data, ensure_ascii=False).encode()


def post(subscription: PushSubscription, data: bytes, *, urgent: bool = False) -> int:
    """Sends one encrypted message; returns the push service's status."""
    info = {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }
    body = WebPusher(info).encode(data, content_encoding="aes128gcm")["body"]
    headers = {
        "Authorization": vapid.authorization(subscription.endpoint),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "TTL": str(TIME_TO_LIVE),
        "Urgency": "high" if urgent else "normal",
    }
    response = outbound.fetch(
        subscription.endpoint,
        method="POST",
        headers=headers,
        content=body,
        max_bytes=64_000,
        max_redirects=0,
    )
    return response.status


def _failed(subscription: PushSubscription) -> None:
    PushSubscription.objects.filter(pk=subscription.pk).update(failures=F("failures") + 1)


def send_push(person: Person, message: Message) -> bool:
    devices = list(
        PushSubscription.objects.filter(person=person, organisation_id=person.organisation_id)
    )
    if not devices:
        return False
    data = payload(message)
    delivered = 0
    problems: list[str] = []
    for device in devices:
        try:
            status = post(device, data, urgent=message.urgent)
        except outbound.OutboundError as error:
            _failed(device)
            problems.append(f"{device.pk}: {error.code}")
            continue
        if 200 <= status < 300:
            delivered += 1
            PushSubscription.objects.filter(pk=device.pk).update(
                last_success_at=timezone.now(), failures=0
            )
        elif status in GONE:
            actions.forget_gone(device, status)
        else:
            _failed(device)
            problems.append(f"{device.pk}: HTTP {status}")
    if problems and not delivered:
        raise PushFailed("push not delivered (" + ", ".join(problems) + ")")
    return delivered > 0
