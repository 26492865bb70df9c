"""send_push against a local push service: encrypted payload, VAPID signature, 410, 500."""

from __future__ import annotations

import base64
import json
import stat

import http_ece
import pytest
from django.conf import settings
from django.test import Client
from py_vapid import Vapid

from ambassade.core.models import AuditEvent
from ambassade.notifications import channels
from ambassade.push import vapid
from ambassade.push.models import PushSubscription
from ambassade.push.sender import PushFailed
from ambassade.push.tests.conftest import Browser, new_browser

pytestmark = pytest.mark.django_db


def message(**changes) -> channels.Message:
    values = {
        "notification_id": 42,
        "kind": "content.featured",
        "title": "Nouveau contenu à la une",
        "body": "« Cinq idées reçues sur la vente B2B » vous attend.",
        "url": "https://ambassade.example/feed/17",
        "reason": "Vous suivez le contenu à la une",
        "settings_url": "https://ambassade.example/me/notifications/",
        "urgent": False,
    }
    values.update(changes)
    return channels.Message(**values)


def subscribe(person, push_service, browser: Browser, name: str) -> PushSubscription:
    """As the page's script does: the browser's subscription posted to "This device"."""
    client = Client()
    client.force_login(person.user)
    response = client.post(
        "/me/push/",
        {"endpoint": push_service.endpoint(name), "p256dh": browser.p256dh, "auth": browser.auth},
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Gecko/125.0 Firefox/125.0",
    )
    assert response.status_code == 302, response.content.decode()
    return PushSubscription.objects.get(endpoint=push_service.endpoint(name))


def jwt_claims(authorization: str) -> dict:
    token = authorization.split("t=", 1)[1].split(",", 1)[0]
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_the_channel_is_registered() -> None:
    # A function of apps.py, which imports the sender (and pywebpush) on first use.
    from ambassade.push.apps import _send_push

    assert channels.sender("push") is _send_push


def test_a_message_reaches_the_device_encrypted_and_signed(persona, push_service, browser):
    device = subscribe(persona.ambassador, push_service, browser, "phone")
    send = channels.sender("push")
    assert send is not None

    assert send(persona.ambassador, message(urgent=True)) is True

    [request] = push_service.received
    assert request.path == "/push/phone"
    assert request.headers["Content-Encoding"] == "aes128gcm"
    assert request.headers["Urgency"] == "high"
    assert int(request.headers["TTL"]) > 0
    # The browser decrypts with its own private key and auth secret.
    clear = http_ece.decrypt(
        request.body,
        private_key=browser.private_key,
        auth_secret=browser.auth_secret,
        version="aes128gcm",
    )
    data = json.loads(clear)
    assert data["title"] == "Nouveau contenu à la une"
    assert data["body"] == "« Cinq idées reçues sur la vente B2B » vous attend."
    assert data["url"] == "https://ambassade.example/feed/17"
    assert data["tag"] == "notification-42"
    # The push service checks the VAPID token with the public key it carries, which is
    # the key the page subscribed with.
    authorization = request.headers["Authorization"]
    assert authorization.startswith("vapid t=")
    assert Vapid.verify(authorization)
    assert authorization.split("k=", 1)[1] == vapid.public_key()
    claims = jwt_claims(authorization)
    assert claims["aud"] == push_service.base
    assert claims["sub"].startswith("mailto:")
    device.refresh_from_db()
    assert device.last_success_at is not None
    assert device.failures == 0


def test_a_tampered_token_does_not_verify(persona, push_service, browser) -> None:
    subscribe(persona.ambassador, push_service, browser, "phone")
    channels.sender("push")(persona.ambassador, message())  # type: ignore[misc]
    authorization = push_service.received[0].headers["Authorization"]
    other = Vapid()
    other.generate_keys()
    from cryptography.hazmat.primitives import serialization

    other_key = vapid.b64url(
        other.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    tampered = authorization.split(",k=")[0] + ",k=" + other_key
    assert not Vapid.verify(tampered)


def test_every_device_gets_it_and_a_long_body_is_cut(persona, push_service) -> None:
    phone, laptop = new_browser(), new_browser()
    subscribe(persona.ambassador, push_service, phone, "phone")
    subscribe(persona.ambassador, push_service, laptop, "laptop")
    channels.sender("push")(persona.ambassador, message(body="x" * 3000))  # type: ignore[misc]
    by_path = {request.path: request for request in push_service.received}
    assert set(by_path) == {"/push/phone", "/push/laptop"}
    clear = http_ece.decrypt(
        by_path["/push/laptop"].body,
        private_key=laptop.private_key,
        auth_secret=laptop.auth_secret,
        version="aes128gcm",
    )
    body = json.loads(clear)["body"]
    assert len(body) == 1000 and body.endswith("…")
    assert len(by_path["/push/laptop"].body) < 4096  # what push services accept


def test_no_device_is_false(persona) -> None:
    assert channels.sender("push")(persona.ambassador, message()) is False  # type: ignore[misc]


def test_a_gone_subscription_is_removed(persona, push_service, browser) -> None:
    device = subscribe(persona.ambassador, push_service, browser, "old")
    push_service.statuses["/push/old"] = 410

    assert channels.sender("push")(persona.ambassador, message()) is False  # type: ignore[misc]

    assert not PushSubscription.objects.filter(pk=device.pk).exists()
    event = AuditEvent.objects.get(action="push.device_gone")
    assert event.before["status"] == 410
    assert event.organisation == persona.organisation


def test_a_failing_push_service_raises_and_keeps_the_device(persona, push_service, browser):
    device = subscribe(persona.ambassador, push_service, browser, "busy")
    push_service.statuses["/push/busy"] = 500
    send = channels.sender("push")
    assert send is not None

    with pytest.raises(PushFailed, match="HTTP 500"):
        send(persona.ambassador, message())
    with pytest.raises(PushFailed):
        send(persona.ambassador, message())

    device.refresh_from_db()
    assert device.failures == 2
    assert device.last_success_at is None
    # Once it answers again, the count starts over.
    push_service.statuses["/push/busy"] = 201
    assert send(persona.ambassador, message()) is True
    device.refresh_from_db()
    assert device.failures == 0


def test_one_device_delivered_means_no_retry(persona, push_service) -> None:
    subscribe(persona.ambassador, push_service, new_browser(), "phone")
    busy = subscribe(persona.ambassador, push_service, new_browser(), "busy")
    push_service.statuses["/push/busy"] = 503
    # A retry would send the message twice to the phone: the failure is only counted.
    assert channels.sender("push")(persona.ambassador, message()) is True  # type: ignore[misc]
    busy.refresh_from_db()
    assert busy.failures == 1


def test_an_unreachable_push_service_raises(persona, push_service, browser, settings) -> None:
    device = subscribe(persona.ambassador, push_service, browser, "phone")
    # The operator closed the host again: the outbound guard refuses the loopback.
    settings.OUTBOUND_ALLOWED_HOSTS = []
    with pytest.raises(PushFailed, match="blocked_port"):
        channels.sender("push")(persona.ambassador, message())  # type: ignore[misc]
    assert push_service.received == []
    device.refresh_from_db()
    assert device.failures == 1


def test_the_vapid_key_is_made_once_and_kept_private() -> None:
    path = settings.VAPID_PRIVATE_KEY_FILE
    first = vapid.public_key()
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(path).startswith(str(settings.DATA_DIR))
    vapid._load.cache_clear()
    assert vapid.public_key() == first  # read back from the file, not made again
    assert len(base64.urlsafe_b64decode(first + "=")) == 65
