"""Every page and API operation against every persona: who gets in, who gets 403 or 404.

When a page or operation is added, add its row here; the test fails for any URL
pattern of the project that has no row (see test_every_route_has_a_row).
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin",
    "marketer",
    "hr",
    "comms",
    "sales",
    "coach",
    "ambassador",
    "employee",
    "outsider",
]
CONSOLE = {"admin", "marketer", "hr", "comms", "sales", "coach", "outsider"}
PEOPLE_READERS = {"admin", "hr", "marketer", "comms", "coach", "outsider"}
ADMINS = {"admin", "outsider"}  # the outsider is an admin of their own organisation
EVERYONE = set(PERSONAS)

# (method, path, personas who may, status for the others). The outsider only ever sees
# their own organisation, which the tenancy tests check object by object.
PAGES = [
    ("get", "/console/", CONSOLE, 403),
    ("get", "/console/people/", PEOPLE_READERS, 403),
    ("get", "/console/audit/", ADMINS, 403),
    ("get", "/console/audit/export.csv", ADMINS, 403),
    ("get", "/console/outbox/", ADMINS, 403),
    ("get", "/me/", EVERYONE, 403),
    ("get", "/me/tokens/", EVERYONE, 403),
]
API = [
    ("get", "/api/v1/me", EVERYONE, 403),
    ("get", "/api/v1/people", PEOPLE_READERS, 403),
    ("get", "/api/v1/tokens", EVERYONE, 403),
    ("get", "/api/v1/audit", ADMINS, 403),
]
# Routes checked elsewhere (public, object-specific, or Django's operator admin).
ELSEWHERE = {
    "",
    "healthz",
    "accounts/login/",
    "accounts/logout/",
    "accounts/language/",
    "operator/",
    "console/outbox/<str:name>",
    "me/tokens/<int:token_id>/revoke",
    "api/v1/",
}


@pytest.mark.parametrize(("method", "path", "allowed", "refused"), PAGES + API)
def test_access(persona, client_for, method, path, allowed, refused) -> None:
    for name in PERSONAS:
        response = getattr(client_for(getattr(persona, name)), method)(path)
        expected = 200 if name in allowed else refused
        assert response.status_code == expected, f"{name} {method.upper()} {path}"


@pytest.mark.parametrize(("method", "path", "allowed", "refused"), PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, method, path, allowed, refused) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) in {"operator/", "api/v1/"}:
                found.append(str(pattern.pattern))
                continue
            found.extend(_routes(pattern, prefix + str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            found.append(prefix + str(pattern.pattern))
    return found


def test_every_route_has_a_row() -> None:
    covered = {path.lstrip("/") for _, path, _, _ in PAGES} | ELSEWHERE
    missing = sorted(set(_routes(get_resolver())) - covered)
    assert missing == [], f"add these routes to the access matrix: {missing}"


def test_every_api_operation_has_a_row() -> None:
    from ambassade.api import api

    schema = api.get_openapi_schema()
    operations = {(method, path) for path, methods in schema["paths"].items() for method in methods}
    covered = {(method, path) for method, path, _, _ in API} | {
        ("post", "/api/v1/tokens"),  # tested in people/tests/test_api.py
        ("delete", "/api/v1/tokens/{token_id}"),
        ("get", "/api/v1/people/{person_id}"),
    }
    assert operations - covered == set()
