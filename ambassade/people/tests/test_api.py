"""The API: OpenAPI document, tokens and scopes, the error format, pagination, tenancy."""

from __future__ import annotations

import pytest
from django.test import Client

from ambassade.people.models import ApiToken
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def make_token(client: Client, scopes: list[str], **extra: object) -> str:
    response = client.post(
        "/api/v1/tokens",
        {"name": "script", "scopes": scopes, **extra},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    secret: str = response.json()["secret"]
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_openapi_document_is_public(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/tokens" in document["paths"]
    assert "/api/v1/people" in document["paths"]


def test_without_credentials_the_error_says_how_to_authenticate(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "unauthenticated"
    assert "Bearer" in error["message"]
    assert set(response.json()) == {"error"}
    assert set(error) == {"code", "message", "details"}


def test_unknown_api_paths_use_the_error_format(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_personal_token_acts_as_its_person_within_its_scopes(persona, client_for) -> None:
    secret = make_token(client_for(persona.hr), ["profile:read"])
    api = Client()
    me = api.get("/api/v1/me", **bearer(secret))
    assert me.status_code == 200
    assert me.json()["person"]["email"] == "hr@example.com"
    assert me.json()["roles"] == ["hr"]
    # HR may read the directory, but this token was not given that scope.
    response = api.get("/api/v1/people", **bearer(secret))
    assert response.status_code == 403
    assert response.json()["error"]["details"] == {"permission": "people.view"}


def test_a_token_never_exceeds_the_roles_of_its_person(persona, client_for) -> None:
    refused = client_for(persona.ambassador).post(
        "/api/v1/tokens",
        {"name": "script", "scopes": ["people:read", "profile:read"]},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == "Your roles do not allow these scopes: people:read"
    secret = make_token(client_for(persona.ambassador), ["profile:read"])
    assert Client().get("/api/v1/people", **bearer(secret)).status_code == 403


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    secret = make_token(client, ["profile:read"])
    stored = ApiToken.objects.get()
    assert secret not in (stored.secret_hash, stored.prefix)
    listed = client.get("/api/v1/tokens").json()["items"]
    assert listed[0]["prefix"] == secret[:10]
    assert "secret" not in listed[0]


def test_a_revoked_token_stops_working(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    secret = make_token(client, ["profile:read"])
    token_id = ApiToken.objects.get().pk
    assert client.delete(f"/api/v1/tokens/{token_id}").status_code == 204
    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401


def test_bad_token_requests_get_specific_errors(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    unknown = client.post(
        "/api/v1/tokens", {"name": "x", "scopes": ["everything"]}, content_type="application/json"
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["message"] == "Unknown scopes: everything"
    blank = client.post(
        "/api/v1/tokens",
        {"name": "  ", "scopes": ["profile:read"]},
        content_type="application/json",
    )
    assert blank.json()["error"]["details"] == [
        {"field": "name", "message": "Give the token a name."}
    ]
    past = client.post(
        "/api/v1/tokens",
        {"name": "x", "scopes": ["profile:read"], "expires_at": "2001-01-01T00:00:00Z"},
        content_type="application/json",
    )
    assert past.json()["error"]["message"] == "The expiry date is in the past."
    malformed = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert malformed.status_code == 422
    assert malformed.json()["error"]["code"] == "invalid"
    assert malformed.json()["error"]["details"][0]["field"].endswith("scopes")
    assert ApiToken.objects.count() == 0


def test_only_admins_create_organisation_tokens(persona, client_for) -> None:
    refused = client_for(persona.marketer).post(
        "/api/v1/tokens",
        {"name": "crm", "scopes": ["people:read"], "organisation_wide": True},
        content_type="application/json",
    )
    assert refused.status_code == 403
    secret = make_token(client_for(persona.admin), ["people:read"], organisation_wide=True)
    token = ApiToken.objects.get()
    assert token.person is None
    people = Client().get("/api/v1/people", **bearer(secret))
    assert people.status_code == 200
    assert people.json()["count"] == 8  # Acme's eight personas; the outsider is elsewhere


def test_session_writes_need_the_csrf_token(persona) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona.ambassador.user)
    response = client.post(
        "/api/v1/tokens", {"name": "x", "scopes": ["profile:read"]}, content_type="application/json"
    )
    assert response.status_code in {401, 403}
    assert ApiToken.objects.count() == 0


def test_people_are_paginated(persona, client_for) -> None:
    for _ in range(12):
        PersonFactory(organisation=persona.organisation)
    client = client_for(persona.hr)
    first = client.get("/api/v1/people?page_size=5").json()
    assert first["count"] == 20
    assert first["pages"] == 4
    assert first["next_page"] == 2
    assert len(first["items"]) == 5
    last = client.get("/api/v1/people?page_size=5&page=4").json()
    assert last["next_page"] is None
    assert len(last["items"]) == 5
    too_big = client.get("/api/v1/people?page_size=5000")
    assert too_big.status_code == 422


def test_another_organisations_person_is_not_found(persona, client_for) -> None:
    response = client_for(persona.outsider).get(f"/api/v1/people/{persona.hr.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client_for(persona.admin).get(f"/api/v1/people/{persona.hr.pk}").status_code == 200


def test_outsiders_cannot_revoke_another_organisations_token(persona, client_for) -> None:
    make_token(client_for(persona.admin), ["people:read"], organisation_wide=True)
    token = ApiToken.objects.get()
    assert client_for(persona.outsider).delete(f"/api/v1/tokens/{token.pk}").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_actions_are_audited(persona, client_for) -> None:
    client = client_for(persona.admin)
    make_token(client, ["audit:read"])
    events = client.get("/api/v1/audit").json()["items"]
    assert events[0]["action"] == "api_token.created"
    assert events[0]["via"] == "api"
    assert client_for(persona.outsider).get("/api/v1/audit").json()["count"] == 0
