"""Fixtures of the digest tests: a real SMTP server (aiosmtpd) that keeps what it
receives, an enrolled ambassador in Auckland, items of their feed, and the moments at
which their weekly digest is (and is not) due."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.mail.utils import DNS_NAME
from django.core.management import call_command
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.testing.concurrency import sqlite_in_a_file

# Monday 7 December 2026, 09:05 in Auckland (UTC+13 in summer) is Sunday 20:05 UTC.
MONDAY_MORNING_IN_AUCKLAND = datetime(2026, 12, 6, 20, 5, tzinfo=UTC)
# Monday 09:05 UTC: 22:05 in Auckland, past the catch-up window of 09:00.
MONDAY_MORNING_UTC = datetime(2026, 12, 7, 9, 5, tzinfo=UTC)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


@pytest.fixture
def smtp_inbox(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    inbox = Inbox()
    # The name the client greets the server with: no reverse DNS look-up (slow here).
    monkeypatch.setattr(DNS_NAME, "_fqdn", "localhost", raising=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.BASE_URL = "https://ambassade.verdier.example"
    try:
        yield inbox
    finally:
        controller.stop()


def run_worker() -> None:
    """Runs the queued tasks (the sends) as the worker process would, then returns."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.fixture
def program(persona: Any) -> Program:
    return Program.objects.create(organisation=persona.organisation, name="Marque employeur")


@pytest.fixture
def reader(persona: Any, program: Program) -> Any:
    """The ambassador, enrolled, reading French, in Auckland."""
    organisation = persona.organisation
    organisation.name, organisation.brand_colour = "Verdier", "#0b6e4f"
    organisation.save()
    kind, _ = AmbassadorType.objects.get_or_create(organisation=organisation, kind="supporter")
    Enrolment.objects.create(
        program=program,
        person=persona.ambassador,
        ambassador_type=kind,
        status=Enrolment.Status.ACTIVE,
    )
    user = persona.ambassador.user
    user.language, user.time_zone = "fr", "Pacific/Auckland"
    user.save()
    return persona.ambassador


def make_item(persona: Any, program: Program, title: str, **values: Any) -> ContentItem:
    fields: dict[str, Any] = {
        "organisation": persona.organisation,
        "program": program,
        "kind": Kind.ARTICLE,
        "status": Status.PUBLISHED,
        "title": title,
        "description": f"À propos de {title}.",
        "url": "https://verdier.example/news",
        "language": "fr",
        "published_at": MONDAY_MORNING_IN_AUCKLAND - timedelta(days=2),
    }
    fields.update(values)
    return ContentItem.objects.create(**fields)


@pytest.fixture
def frozen_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """Sets what timezone.now() answers (items' windows and claims are read against it)."""

    def freeze(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


@pytest.fixture
def sqlite_file(
    transactional_db: None, tmp_path: Any
) -> Callable[[], AbstractContextManager[None]]:
    """The test database in a file for a while (testing/concurrency.py); a no-op on
    PostgreSQL, where threads already run concurrent transactions."""
    return lambda: sqlite_in_a_file(tmp_path)
