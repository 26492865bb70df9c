"""The page "This device": subscribe (as the script does), errors, remove, the links."""

from __future__ import annotations

import re

import pytest

from ambassade.core.models import AuditEvent
from ambassade.push.models import PushSubscription
from ambassade.push.tests.conftest import new_browser

pytestmark = pytest.mark.django_db

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0"


def post_subscription(client, endpoint: str, browser=None, **extra):
    browser = browser or new_browser()
    fields = {"endpoint": endpoint, "p256dh": browser.p256dh, "auth": browser.auth}
    fields.update(extra)
    return client.post("/me/push/", fields, HTTP_USER_AGENT=FIREFOX_ANDROID)


def test_the_page_works_without_script_and_loads_only_our_file(persona, client_for) -> None:
    page = client_for(persona.ambassador).get("/me/push/")
    assert page.status_code == 200
    html = page.content.decode()
    # Without JavaScript the buttons stay hidden and the page says why.
    assert re.search(r"<button[^>]*data-push-start[^>]*hidden", html)
    assert re.search(r"<button[^>]*data-push-stop[^>]*hidden", html)
    assert "Turning notifications on needs JavaScript" in html
    assert "Receive notifications on this device" in html
    assert "Stop on this device" in html
    assert 'src="/static/push/device.js"' in html
    assert "<script>" not in html and "style=" not in html  # strict CSP: no inline code
    key = re.search(r'data-public-key="([A-Za-z0-9_-]+)"', html)
    assert key is not None and len(key.group(1)) == 87  # 65 bytes, base64url
    assert "No device receives your notifications yet." in html


def test_in_french(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    html = client.get("/me/push/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Recevoir les notifications sur cet appareil" in html
    assert "Arrêter sur cet appareil" in html
    assert "Cet appareil" in html


def test_me_links_to_the_page(persona, client_for) -> None:
    html = client_for(persona.employee).get("/me/").content.decode()
    assert 'href="/me/push/"' in html


def test_the_script_and_the_service_worker(client) -> None:
    script = client.get("/static/push/device.js")
    assert script.status_code == 200
    worker = client.get("/sw.js").content.decode()
    assert 'addEventListener("push"' in worker
    assert 'addEventListener("notificationclick"' in worker
    assert "openWindow" in worker


def test_subscribe_list_and_remove(persona, client_for, push_service) -> None:
    client = client_for(persona.ambassador)
    response = post_subscription(client, push_service.endpoint("phone"))
    assert response.status_code == 302
    device = PushSubscription.objects.get()
    assert device.person == persona.ambassador
    assert device.organisation == persona.organisation
    assert device.label == "Firefox, Android"
    event = AuditEvent.objects.get(action="push.subscribed")
    assert event.after == {"device": "Firefox, Android", "service": "127.0.0.1"}

    page = client.get("/me/push/").content.decode()
    assert "Firefox, Android" in page
    assert "This device will receive your notifications." in page

    # The same browser again: still one device, keys updated.
    again = new_browser()
    assert post_subscription(client, push_service.endpoint("phone"), again).status_code == 302
    assert PushSubscription.objects.get().p256dh == again.p256dh

    # Someone else cannot remove it; its owner can.
    other = client_for(persona.employee)
    assert other.post(f"/me/push/{device.pk}/remove").status_code == 404
    assert client.get(f"/me/push/{device.pk}/remove").status_code == 405
    assert client.post(f"/me/push/{device.pk}/remove").status_code == 302
    assert not PushSubscription.objects.exists()
    assert AuditEvent.objects.filter(action="push.unsubscribed").count() == 1


def test_stop_on_this_device(persona, client_for, push_service) -> None:
    client = client_for(persona.ambassador)
    post_subscription(client, push_service.endpoint("phone"))
    # Another person's endpoint is never touched by my "stop".
    client_for(persona.employee).post("/me/push/stop", {"endpoint": push_service.endpoint("phone")})
    assert PushSubscription.objects.count() == 1
    assert (
        client.post("/me/push/stop", {"endpoint": push_service.endpoint("phone")}).status_code
        == 302
    )
    assert not PushSubscription.objects.exists()


def test_a_browser_that_changes_hands(persona, client_for, push_service) -> None:
    post_subscription(client_for(persona.ambassador), push_service.endpoint("shared"))
    post_subscription(client_for(persona.employee), push_service.endpoint("shared"))
    assert PushSubscription.objects.get().person == persona.employee
    assert AuditEvent.objects.filter(action="push.device_moved").count() == 1


@pytest.mark.parametrize(
    ("endpoint", "error"),
    [
        ("ftp://push.example.com/abc", "must start with https://"),
        ("", "has no endpoint"),
        ("https://10.0.0.8/push/abc", "private or reserved address"),
        ("https://[::1]/push/abc", "private or reserved address"),
        ("http://127.0.0.1:8080/push/abc", "must start with https://"),  # production: no http
    ],
)
def test_bad_endpoints_are_refused_clearly(persona, client_for, settings, endpoint, error):
    settings.TESTING = False  # as in production
    settings.DEBUG = False
    response = post_subscription(client_for(persona.ambassador), endpoint)
    assert response.status_code == 422
    assert error in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not PushSubscription.objects.exists()


def test_loopback_without_the_operator_is_refused_in_tests_too(persona, client_for) -> None:
    response = post_subscription(client_for(persona.ambassador), "http://127.0.0.1:9/push/x")
    assert response.status_code == 422
    assert "Port 9 is not allowed" in response.content.decode()


def test_bad_keys_are_refused(persona, client_for, push_service) -> None:
    client = client_for(persona.ambassador)
    response = post_subscription(client, push_service.endpoint("x"), p256dh="abc", auth="short")
    assert response.status_code == 422
    html = response.content.decode()
    assert "is not a P-256 public key" in html
    assert "is not 16 bytes" in html


def test_list_queries_stay_flat(persona, client_for, push_service, django_assert_max_num_queries):
    client = client_for(persona.ambassador)
    for name in ("a", "b", "c", "d"):
        post_subscription(client, push_service.endpoint(name))
    with django_assert_max_num_queries(12):
        assert client.get("/me/push/").status_code == 200
