"""Shared fixtures: the personas of permission tests, and service availability.

Personas: an admin, a marketer, an HR partner, an internal-comms editor, a sales
manager, a coach, an ambassador, an employee who is not an ambassador, and an outsider
who belongs to another organisation. Tests read like sentences:
``client_for(persona.hr).get(url)``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

from ambassade.core.roles import Role
from ambassade.testing.factories import OrganisationFactory, PersonFactory

pytest_plugins = [
    "ambassade.testing.browser",
    "ambassade.testing.leftovers",
    "ambassade.testing.static_files",
]

IN_CI = os.environ.get("CI", "").lower() == "true"


def need_service(available: bool, reason: str) -> None:
    """Skip locally with a visible reason; in CI a missing service is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def _configured_services() -> dict[str, bool]:
    return {
        "postgres": os.environ.get("DATABASE_URL", "").startswith("postgres"),
        "redis": bool(os.environ.get("REDIS_URL")),
    }


def pytest_report_header() -> str:
    services = _configured_services()
    return "services: " + ", ".join(
        f"{name} {'configured' if on else 'not configured'}" for name, on in services.items()
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of a service this run does not configure are deselected, not skipped.

    The embedded-default run (SQLite, no Redis) has nothing to test against Redis; the
    run that sets REDIS_URL runs them, and there an unreachable Redis is a failure
    under CI=true (see need_service).
    """
    services = _configured_services()
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        missing = [
            name for name, on in services.items() if not on and item.get_closest_marker(name)
        ]
        (dropped if missing else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@dataclass
class Personas:
    organisation: object
    admin: object
    marketer: object
    hr: object
    comms: object
    sales: object
    coach: object
    ambassador: object
    employee: object
    outsider: object

    def all(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in PERSONA_ROLES}


PERSONA_ROLES: dict[str, list[str]] = {
    "admin": [Role.ADMIN],
    "marketer": [Role.MARKETING],
    "hr": [Role.HR],
    "comms": [Role.INTERNAL_COMMS],
    "sales": [Role.SALES_MANAGEMENT],
    "coach": [Role.COACH],
    "ambassador": [Role.AMBASSADOR],
    "employee": [],
    "outsider": [Role.ADMIN],  # an admin, but of another organisation
}


@pytest.fixture
def persona(db: None) -> Personas:
    organisation = OrganisationFactory(name="Acme", slug="acme")
    elsewhere = OrganisationFactory(name="Elsewhere Ltd", slug="elsewhere")
    people = {}
    for name, roles in PERSONA_ROLES.items():
        people[name] = PersonFactory(
            organisation=elsewhere if name == "outsider" else organisation,
            email=f"{name}@example.com",
            roles=roles,
            with_user=True,
        )
    return Personas(organisation=organisation, **people)


@pytest.fixture
def client_for(db: None):
    """client_for(person) -> a test client signed in as that person."""

    def make(person) -> Client:
        client = Client()
        client.force_login(person.user)
        return client

    return make


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the default language: the middleware activates a signed-in
    person's language for the rest of the thread, so a French request would otherwise
    turn the next test's words (read outside any request) French."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings) -> None:
    """Sign-in and API-token limits count attempts in the default cache: each test starts
    with none. A memory cache is cleared; a shared Redis cache is not flushed (other runs'
    queues live there), each test gets a key prefix of its own instead."""
    import uuid

    from django.core.cache import caches

    default = dict(settings.CACHES["default"])
    if "locmem" in default["BACKEND"]:
        caches["default"].clear()
        return
    default["KEY_PREFIX"] = f"ambassade-test-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "default": default}
