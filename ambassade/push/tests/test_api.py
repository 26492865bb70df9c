"""/api/v1/push: the public key, my devices (list, add, remove), the one error format."""

from __future__ import annotations

import json
import re

import pytest

from ambassade.core.models import AuditEvent
from ambassade.people.models import ApiToken, hash_token
from ambassade.push.models import PushSubscription
from ambassade.push.tests.conftest import new_browser

pytestmark = pytest.mark.django_db


def subscription_json(endpoint: str) -> dict:
    """What the browser's PushSubscription.toJSON() gives."""
    browser = new_browser()
    return {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": browser.p256dh, "auth": browser.auth},
    }


def post(client, body: dict, **headers):
    return client.post(
        "/api/v1/push/subscriptions", json.dumps(body), content_type="application/json", **headers
    )


def test_the_public_key_is_the_pages(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    key = client.get("/api/v1/push/public-key").json()["public_key"]
    page = client.get("/me/push/").content.decode()
    found = re.search(r'data-public-key="([^"]+)"', page)
    assert found is not None and found.group(1) == key


def test_add_list_and_remove(persona, client_for, push_service) -> None:
    client = client_for(persona.ambassador)
    created = post(client, subscription_json(push_service.endpoint("api")))
    assert created.status_code == 201, created.content
    device = created.json()
    assert device["endpoint"] == push_service.endpoint("api")
    assert device["failures"] == 0 and device["last_success_at"] is None
    listed = client.get("/api/v1/push/subscriptions").json()
    assert [item["id"] for item in listed["items"]] == [device["id"]]
    # Someone else's device does not exist for me.
    other = client_for(persona.employee)
    assert other.get("/api/v1/push/subscriptions").json()["items"] == []
    assert other.delete(f"/api/v1/push/subscriptions/{device['id']}").status_code == 404
    assert client.delete(f"/api/v1/push/subscriptions/{device['id']}").status_code == 204
    assert not PushSubscription.objects.exists()
    assert AuditEvent.objects.filter(action="push.unsubscribed").count() == 1


@pytest.mark.parametrize(
    ("endpoint", "field", "words"),
    [
        ("ftp://push.example.com/abc", "endpoint", "must start with https://"),
        ("https://192.168.1.20/push", "endpoint", "private or reserved address"),
        ("https://169.254.169.254/latest", "endpoint", "private or reserved address"),
    ],
)
def test_bad_endpoints_are_422(persona, client_for, settings, endpoint, field, words) -> None:
    settings.TESTING = False
    settings.DEBUG = False
    response = post(client_for(persona.ambassador), subscription_json(endpoint))
    assert response.status_code == 422
    error = response.json()["error"]
    assert words in error["message"]
    assert error["details"][0]["field"] == field
    assert not PushSubscription.objects.exists()


def test_unknown_fields_and_bad_keys(persona, client_for, push_service) -> None:
    client = client_for(persona.ambassador)
    body = subscription_json(push_service.endpoint("x"))
    assert post(client, {**body, "extra": 1}).status_code == 422
    body["keys"]["auth"] = "c2hvcnQ"
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "auth"


def test_a_token_needs_the_profile_scope_and_a_person(persona) -> None:
    from django.test import Client

    def token(secret: str, scopes: list[str], person=None) -> dict:
        ApiToken.objects.create(
            organisation=persona.organisation,
            person=person,
            name=secret,
            scopes=scopes,
            secret_hash=hash_token(secret),
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    client = Client()
    body = subscription_json("https://push.example.com/x")
    reading = token("amb_push_read", ["profile:read"], persona.ambassador)
    assert post(client, body, **reading).status_code == 403
    organisation = token("amb_push_org", ["profile:write"])
    refused = client.get("/api/v1/push/public-key", **organisation)
    assert refused.status_code == 403
    writing = token("amb_push_write", ["profile:write"], persona.ambassador)
    assert client.get("/api/v1/push/public-key", **writing).status_code == 200
