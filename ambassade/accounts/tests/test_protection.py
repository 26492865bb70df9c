"""Sign-in protection on every way in: the form, the operator's admin, API tokens."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ambassade.core.models import AuditEvent
from ambassade.testing.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _wrong(client: Client, email: str):
    return client.post("/accounts/login/", {"login": email, "password": "not the password"})


def test_ten_wrong_passwords_lock_the_account_with_a_message_and_an_audit_row() -> None:
    user = UserFactory(email="lea@example.com")
    person = PersonFactory(email="lea@example.com", user=user)
    for _attempt in range(10):
        page = _wrong(Client(), "lea@example.com").content.decode()
        assert "Too many failed sign-in attempts" not in page
    locked = _wrong(Client(), "lea@example.com").content.decode()
    assert "Too many failed sign-in attempts." in locked
    assert "try again in 15 minutes" in locked
    # Even the right password waits until the lock-out ends.
    right = Client().post("/accounts/login/", {"login": "lea@example.com", "password": PASSWORD})
    assert right.status_code == 200
    assert "try again in 15 minutes" in right.content.decode()
    # One audit row for the lock-out, in the account's organisation, not one per refusal.
    [event] = AuditEvent.objects.filter(action="account.locked_out")
    assert event.organisation == person.organisation
    assert event.target_id == str(user.pk)
    assert event.after["limit"] == "account"


def test_the_lock_out_message_is_translated() -> None:
    UserFactory(email="lea@example.com")
    for _attempt in range(10):
        _wrong(Client(), "lea@example.com")
    page = Client().post(
        "/accounts/login/",
        {"login": "lea@example.com", "password": "x"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert "Trop de tentatives de connexion" in page.content.decode()
    assert "15 minutes" in page.content.decode()


def test_an_unknown_address_gets_the_same_answers() -> None:
    PersonFactory(email="lea@example.com", user=UserFactory(email="lea@example.com"))
    known = [_wrong(Client(), "lea@example.com") for _attempt in range(11)]
    unknown = [_wrong(Client(), "ghost@example.com") for _attempt in range(11)]

    def text(response) -> str:
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
        return page.replace("lea@example.com", "ADDRESS").replace("ghost@example.com", "ADDRESS")

    assert [text(r) for r in known] == [text(r) for r in unknown]
    events = AuditEvent.objects.filter(action="account.locked_out")
    assert events.count() == 2
    unknown_event = events.get(organisation__isnull=True)
    assert "ghost" not in f"{unknown_event.target_label}{unknown_event.after}"


def test_one_source_is_limited_across_addresses() -> None:
    for number in range(30):
        assert "Too many" not in _wrong(Client(), f"guess{number}@example.com").content.decode()
    refused = _wrong(Client(), "another@example.com").content.decode()
    assert "Too many failed sign-in attempts." in refused
    event = AuditEvent.objects.get(action="account.locked_out")
    assert event.after["limit"] == "source"


def test_a_lock_out_ends_after_its_time() -> None:
    from datetime import timedelta

    from django.utils import timezone
    from freezegun import freeze_time

    UserFactory(email="lea@example.com")
    start = timezone.now()
    with freeze_time(start):
        for _attempt in range(11):
            _wrong(Client(), "lea@example.com")
    with freeze_time(start + timedelta(minutes=10)):
        right = Client().post(
            "/accounts/login/", {"login": "lea@example.com", "password": PASSWORD}
        )
        assert "try again in 5 minutes" in right.content.decode()
    with freeze_time(start + timedelta(minutes=16)):
        right = Client().post(
            "/accounts/login/", {"login": "lea@example.com", "password": PASSWORD}
        )
        assert right.status_code == 302


def test_the_operator_admin_signs_in_through_the_protected_form() -> None:
    UserFactory(email="op@example.com", is_staff=True, is_superuser=True)
    response = Client().post(
        "/operator/login/", {"username": "op@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    client = Client()
    client.post("/accounts/login/", {"login": "op@example.com", "password": PASSWORD})
    assert client.get("/operator/").status_code == 200


def test_wrong_api_tokens_are_limited_per_source(persona) -> None:
    from ambassade.core.authz import actor_for_person
    from ambassade.people.actions.tokens import create_api_token

    _token, secret = create_api_token(
        actor_for_person(persona.admin), name="ci", scopes=["profile:read"]
    )
    for number in range(30):
        response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer amb_wrong{number}")
        assert response.status_code == 401
    refused = Client().get("/api/v1/me", HTTP_AUTHORIZATION="Bearer amb_wrong-again")
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "too_many_attempts"
    assert "Try again in 15 minute(s)" in error["message"]
    # The right token waits too: the source is locked out, not one token.
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 429
    assert AuditEvent.objects.filter(action="api.token_locked_out").count() == 1
    # Another source is not concerned.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
