"""Subscribing a device to push messages, stopping, and forgetting a device the push
service no longer knows. Each write is one transaction with its audit row."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import audit, outbound
from ambassade.core.authz import Actor, allowed
from ambassade.people.models import Person
from ambassade.push.models import PushSubscription

# Browsers, then systems, as they appear in User-Agent strings; the first match names it.
# Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSERS = (
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox", "Firefox"),
    ("Chrome", "Chrome"),
    ("Chromium", "Chromium"),
    ("Safari", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """ "Firefox, Android": enough for a person to tell their devices apart."""
    browser = next((name for token, name in BROWSERS if token in user_agent), "")
    system = next((name for token, name in SYSTEMS if token in user_agent), "")
    return ", ".join(part for part in (browser, system) if part)


def _person(actor: Actor) -> Person:
    if not allowed(actor, "push.manage_own") or actor.person is None:
        raise PermissionDenied
    return actor.person


def _decode(value: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


def check_endpoint(endpoint: str) -> str:
    """The endpoint, or a ValidationError that says what is wrong with it.

    An https:// address that the outbound guard would let us reach (no private, loopback
    or reserved address unless the operator allows the host); plain http only to the
    loopback on a developer's machine or in tests, where a local server plays the push
    service.
    """
    endpoint = endpoint.strip()
    if not endpoint:
        raise ValidationError({"endpoint": _("The subscription has no endpoint.")})
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
    except ValueError:
        raise ValidationError({"endpoint": _("This is not a valid web address.")}) from None
    local_test = (settings.DEBUG or settings.TESTING) and host == "127.0.0.1"
    if parts.scheme != "https" and not (parts.scheme == "http" and local_test):
        raise ValidationError({"endpoint": _("A push service's address must start with https://.")})
    try:
        outbound.check_url(endpoint)
    except outbound.OutboundError as error:
        raise ValidationError(
            {
                "endpoint": _("This push service cannot be reached: %(reason)s")
                % {"reason": error.message}
            }
        ) from None
    return endpoint


def _check_keys(p256dh: str, auth: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    raw = _decode(p256dh.strip())
    try:
        if raw is None or len(raw) != 65:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        errors["p256dh"] = _("The browser's key (p256dh) is not a P-256 public key.")
    secret = _decode(auth.strip())
    if secret is None or len(secret) != 16:
        errors["auth"] = _("The browser's secret (auth) is not 16 bytes in base64url.")
    if errors:
        raise ValidationError(errors)
    return {"p256dh": p256dh.strip(), "auth": auth.strip()}


def _snapshot(subscription: PushSubscription) -> dict[str, Any]:
    # The endpoint's host only: the full address is a capability to message the device.
    return {"device": subscription.label, "service": urlsplit(subscription.endpoint).hostname}


@transaction.atomic
def subscribe(
    actor: Actor, *, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    person = _person(actor)
    errors: dict[str, Any] = {}
    try:
        endpoint = check_endpoint(endpoint)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        keys = _check_keys(p256dh, auth)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    previous = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if previous is not None and previous.person_id != person.pk:
        # The browser changed hands (someone else signed in on it): it is now this person's.
        audit.record(
            "push.device_moved",
            organisation=previous.organisation,
            actor=None,
            target=previous,
            before=_snapshot(previous),
        )
        previous.delete()
        previous = None
    label = device_label(user_agent)
    if previous is not None:
        previous.p256dh, previous.auth, previous.label = keys["p256dh"], keys["auth"], label
        previous.failures = 0
        previous.save(update_fields=["p256dh", "auth", "label", "failures"])
        return previous
    subscription = PushSubscription.objects.create(
        organisation=person.organisation, person=person, endpoint=endpoint, label=label, **keys
    )
    audit.record(
        "push.subscribed",
        organisation=actor.organisation,
        actor=actor,
        target=subscription,
        after=_snapshot(subscription),
    )
    return subscription


@transaction.atomic
def unsubscribe(actor: Actor, subscription: PushSubscription) -> None:
    person = _person(actor)
    if subscription.person_id != person.pk:
        raise PermissionDenied
    audit.record(
        "push.unsubscribed",
        organisation=actor.organisation,
        actor=actor,
        target=subscription,
        before=_snapshot(subscription),
    )
    subscription.delete()


@transaction.atomic
def forget_gone(subscription: PushSubscription, status: int) -> None:
    """The push service says the subscription expired or was withdrawn (404, 410)."""
    deleted, _count = PushSubscription.objects.filter(pk=subscription.pk).delete()
    if deleted:
        audit.record(
            "push.device_gone",
            organisation=subscription.organisation,
            actor=None,
            target=subscription,
            before={**_snapshot(subscription), "status": status},
        )
