"""Fixtures of the tracking tests: a spool folder and caches of each test's own."""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches
from django.test import Client

from ambassade.tracking import buffer, ingest, lookup, visitors
from ambassade.tracking.actions import create_link

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)


@pytest.fixture(autouse=True)
def isolated_buffer(tmp_path, settings, monkeypatch):
    spool = tmp_path / "clicks"
    settings.CLICK_SPOOL_DIR = spool
    settings.CLICK_BUFFER = "spool"
    settings.CLICK_FLOOD_LIMIT = 30
    monkeypatch.setattr(buffer, "_spool", buffer.SpoolWriter(spool))
    forget_everything()
    monkeypatch.setattr(visitors, "_flood_counts", {})
    yield spool
    forget_everything()


def forget_everything() -> None:
    # Codes are random, so a shared Redis cache needs no clearing (which would flush the
    # whole Redis database, other test runs' queues included); the memory cache is cleared.
    if "locmem" in caches["links"].__class__.__module__:
        caches["links"].clear()
    visitors.forget_salts()
    lookup._last_known.clear()


def ingest_all() -> dict[str, int]:
    """Ingests every spool file, the current minute's too (as if it were over)."""
    return ingest.ingest(now=time.time() + 120)


@pytest.fixture
def make_link(persona):
    def make(**overrides):
        fields = {
            "organisation": persona.organisation,
            "person": persona.ambassador,
            "url": "https://careers.example.com/jobs/42?ref=board&lang=fr#apply",
            "network": "linkedin",
            "campaign": "spring-hiring",
            "content_item_id": 42,
            "preview": {
                "title": "Join us as a welder",
                "description": "Our Lyon plant is hiring.",
                "image_url": "https://careers.example.com/welder.jpg",
                "site_name": "Acme Careers",
            },
        }
        fields.update(overrides)
        return create_link(**fields)

    return make


@pytest.fixture(params=["django view", "lean path", "short-link server"])
def browser(request, monkeypatch):
    """The client class of a redirect test, which runs three times: Django's test client
    (straight to the view), a client whose requests go through ambassade/asgi.py like the
    web server's (the lean path first, Django for whatever it hands over), and one whose
    requests go through the short-link server's protocol (ambassade/short_link_server.py)."""
    if request.param == "django view":
        return Client
    from ambassade.tracking.tests.asgi_client import LeanClient, lookups_in_test_thread
    from ambassade.tracking.tests.short_link_client import ShortLinkClient

    lookups_in_test_thread(monkeypatch)
    return LeanClient if request.param == "lean path" else ShortLinkClient


@pytest.fixture
def signed_in(browser, db):
    """signed_in(person) -> a client of the test's kind, signed in as that person."""

    def make(person):
        client = browser()
        client.force_login(person.user)
        return client

    return make


@pytest.fixture
def django_calls(monkeypatch) -> list[str]:
    """The paths Django's ASGI handler was given (it still answers them), with the lean
    path's lookups run in the test's thread."""
    from django.core.handlers.asgi import ASGIHandler

    from ambassade import asgi
    from ambassade.tracking.tests.asgi_client import lookups_in_test_thread

    calls: list[str] = []
    handlers: list[ASGIHandler] = []

    async def counted(scope, receive, send):
        calls.append(scope["path"])
        if not handlers:  # built at the first request: its middleware reads the test's settings
            handlers.append(ASGIHandler())
        await handlers[0](scope, receive, send)

    monkeypatch.setattr(asgi, "django_application", counted)
    lookups_in_test_thread(monkeypatch)
    return calls
