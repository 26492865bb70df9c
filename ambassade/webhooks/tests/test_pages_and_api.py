"""The admins' webhook pages and API: who may open them, bad addresses, secrets once."""

from __future__ import annotations

import json

import pytest

from ambassade.webhooks.models import WebhookEndpoint, WebhookMessage
from ambassade.webhooks.signing import new_msg_id
from ambassade.webhooks.tests.conftest import add_endpoint

pytestmark = pytest.mark.django_db

PAGE = "/console/settings/webhooks/"
API = "/api/v1/webhooks/endpoints"


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("admin", 200),
        ("marketer", 403),
        ("hr", 403),
        ("comms", 403),
        ("sales", 403),
        ("coach", 403),
        ("ambassador", 403),
        ("employee", 403),
    ],
)
def test_only_admins_manage_webhooks(persona, client_for, name, status) -> None:
    client = client_for(getattr(persona, name))
    assert client.get(PAGE).status_code == status
    assert client.get(API).status_code == status
    answer = client.post(API, {"url": "https://hooks.example.com/x"}, "application/json")
    assert answer.status_code == (201 if status == 200 else 403)


def test_another_organisations_endpoint_does_not_exist(persona, client_for, consumer) -> None:
    endpoint = add_endpoint(persona.admin, consumer)
    outsider = client_for(persona.outsider)
    assert outsider.get(f"{PAGE}{endpoint.pk}/").status_code == 404
    assert outsider.post(f"{PAGE}{endpoint.pk}/rotate").status_code == 404
    assert outsider.get(f"{API}/{endpoint.pk}").status_code == 404
    assert outsider.get(API).json()["items"] == []


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(persona, client_for) -> None:
    client = client_for(persona.admin)
    answer = client.post(
        PAGE,
        {
            "url": "https://hooks.example.com/ambassade",
            "description": "CRM",
            "event_types": ["share.published", "enrolment.started"],
        },
    )
    assert answer.status_code == 200
    secret = answer.context["secret"]
    assert secret.startswith("whsec_") and secret in answer.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.event_types == ["enrolment.started", "share.published"]
    detail = client.get(f"{PAGE}{endpoint.pk}/").content.decode()
    assert secret not in detail and "CRM" in detail
    rotated = client.post(f"{PAGE}{endpoint.pk}/rotate")
    assert rotated.context["secret"] != secret and "24 hours" in rotated.content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "Only http:// and https:// addresses"),
        ("ftp://hooks.example.com/x", "Only http:// and https:// addresses"),
        ("http://10.0.0.8/hooks", "points to a private or reserved address"),
        ("http://127.0.0.1:8000/hooks", "is not allowed"),
        ("http://[::1]/hooks", "points to a private or reserved address"),
        ("https://user:pw@hooks.example.com/", "user name or password"),
    ],
)
def test_a_bad_address_is_refused_clearly(persona, client_for, url, message) -> None:
    client = client_for(persona.admin)
    page = client.post(PAGE, {"url": url, "description": ""})
    assert page.status_code == 200
    assert message in page.content.decode()
    answer = client.post(API, {"url": url}, "application/json")
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid" and message in error["message"]
    assert error["details"][0]["field"] == "url"
    assert not WebhookEndpoint.objects.exists()


def test_an_unknown_event_type_is_refused(persona, client_for) -> None:
    answer = client_for(persona.admin).post(
        API,
        {"url": "https://hooks.example.com/x", "event_types": ["share.deleted"]},
        "application/json",
    )
    assert answer.status_code == 422
    assert "share.deleted" in answer.json()["error"]["message"]


def test_the_api_returns_the_secret_once(persona, client_for) -> None:
    client = client_for(persona.admin)
    created = client.post(
        API, {"url": "https://hooks.example.com/x", "event_types": []}, "application/json"
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_")
    shown = client.get(f"{API}/{body['id']}").json()
    assert "secret" not in shown and shown["enabled"] is True
    rotated = client.post(f"{API}/{body['id']}/rotate").json()
    assert rotated["secret"] != body["secret"]
    changed = client.patch(f"{API}/{body['id']}", {"enabled": False}, "application/json")
    assert changed.status_code == 200 and changed.json()["enabled"] is False
    assert changed.json()["disabled_reason"]


def test_the_test_button_and_the_replay_button_send_through_the_pages(
    persona, client_for, consumer, django_capture_on_commit_callbacks
) -> None:
    endpoint = add_endpoint(persona.admin, consumer)
    client = client_for(persona.admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{PAGE}{endpoint.pk}/test").status_code == 302
    message = WebhookMessage.objects.get()
    log = client.get(f"{PAGE}{endpoint.pk}/").content.decode()
    assert "Test event" in log and "HTTP 200" in log
    detail = client.get(f"{PAGE}{endpoint.pk}/messages/{message.pk}").content.decode()
    assert message.msg_id in detail and "Hello from Ambassade" in detail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{PAGE}{endpoint.pk}/messages/{message.pk}/replay")
    assert consumer.ids() == [message.msg_id, message.msg_id]
    api_detail = client.get(f"{API}/{endpoint.pk}/messages/{message.pk}").json()
    assert [t["response_status"] for t in api_detail["tries"]] == [200, 200]


def test_the_delivery_log_costs_the_same_queries_for_many_messages(
    persona, client_for, consumer, django_assert_max_num_queries
) -> None:
    endpoint = add_endpoint(persona.admin, consumer)
    payload = {"type": "webhook.test", "timestamp": "2026-12-01T00:00:00+00:00", "data": {}}
    WebhookMessage.objects.bulk_create(
        WebhookMessage(
            organisation=persona.organisation,
            endpoint=endpoint,
            type="webhook.test",
            payload=payload,
            msg_id=new_msg_id(),
        )
        for _ in range(40)
    )
    client = client_for(persona.admin)
    with django_assert_max_num_queries(15):
        page = client.get(f"{PAGE}{endpoint.pk}/")
    assert page.content.decode().count("Test event") >= 40
    with django_assert_max_num_queries(12):
        listed = client.get(f"{API}/{endpoint.pk}/messages")
    assert listed.json()["count"] == 40
    assert json.loads(listed.content)["items"][0]["payload"] == payload


def test_an_endpoint_whose_host_is_gone_can_still_be_switched_off(persona, client_for) -> None:
    client = client_for(persona.admin)
    created = client.post(API, {"url": "https://hooks.example.com/x"}, "application/json")
    endpoint_id = created.json()["id"]
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(url="https://gone.invalid/x")
    answer = client.patch(f"{API}/{endpoint_id}", {"enabled": False}, "application/json")
    assert answer.status_code == 200 and answer.json()["enabled"] is False
    moved = client.patch(
        f"{API}/{endpoint_id}", {"url": "https://gone.invalid/y"}, "application/json"
    )
    assert moved.status_code == 422
    assert moved.json()["error"]["details"][0]["field"] == "url"
