"""The transactional mails as a person receives them, through a real SMTP server: a text
part and an HTML part in the organisation's colours, one button for the action, and dates
written in the reader's language and time zone."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from ambassade.content.models import Suggestion
from ambassade.people import tasks as people_tasks
from ambassade.programs.models import Invitation

pytestmark = pytest.mark.django_db
FRENCH_DATE = re.compile(
    r"\b\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
    r"|décembre) \d{4}\b"
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append(parsed)
        return "250 OK"


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[_Inbox]:
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def french_reader(persona: Any) -> Any:
    organisation = persona.organisation
    organisation.name, organisation.brand_colour = "Verdier", "#0b6e4f"
    organisation.save()
    user = persona.employee.user
    user.language, user.time_zone = "fr", "Pacific/Auckland"
    user.save()
    return persona.employee


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "a text part and an HTML part"
    return text.get_content(), html.get_content()


def the_button(html: str) -> str:
    """The one button's address; its colours are inlined (mail programs drop <style>)."""
    buttons = re.findall(r'<a class="button"[^>]*href="([^"]+)"[^>]*>', html)
    assert len(buttons) == 1, html
    assert "<style" not in html and "background-color: #0b6e4f" in html
    return buttons[0]


def test_an_invitation_has_a_button_and_a_french_date(
    persona: Any,
    client_for: Any,
    program: Any,
    immediate_tasks: Any,
    smtp_inbox: _Inbox,
    french_reader: Any,
) -> None:
    from ambassade.programs.tests.conftest import kind

    with immediate_tasks():
        client_for(persona.hr).post(
            f"/console/programs/{program.pk}/invitations/",
            {
                "emails": french_reader.email,
                "ambassador_type": kind(program.organisation, "supporter").pk,
                "campaign_name": "",
                "reminder_after_days": 7,
                "max_reminders": 2,
            },
        )
    [message] = smtp_inbox.messages
    text, html = parts(message)
    link = re.search(r"https?://\S+/invitations/\S+/", text).group(0)
    assert the_button(html) == link
    assert "Ouvrez votre invitation" in html and "Verdier" in html
    expires = Invitation.objects.get().expires_at
    day = timezone.localtime(expires, timezone=ZoneInfo("Pacific/Auckland"))
    assert FRENCH_DATE.search(text).group(0).startswith(f"{day.day} ")
    assert not ISO_DATE.search(text) and FRENCH_DATE.search(html)


def test_the_departure_notice_dates_the_last_day_in_french(
    smtp_inbox: _Inbox, french_reader: Any, immediate_tasks: Any
) -> None:
    french_reader.end_date = timezone.localdate() + timedelta(days=5)
    french_reader.save()
    with immediate_tasks():
        people_tasks.process_departures.call()
    [message] = smtp_inbox.messages
    text, html = parts(message)
    assert the_button(html).endswith("/me/data.zip")
    assert "Télécharger une copie de mes données" in html
    assert FRENCH_DATE.search(text) and not ISO_DATE.search(text)


def test_a_suggestion_verdict_links_to_the_suggestions(
    persona: Any, client_for: Any, immediate_tasks: Any, smtp_inbox: _Inbox, french_reader: Any
) -> None:
    suggestion = Suggestion.objects.create(
        organisation=persona.organisation, author=french_reader, url="https://example.com/a"
    )
    with immediate_tasks():
        client_for(persona.comms).post(
            f"/console/content/suggestions/{suggestion.pk}/moderate",
            {"decision": "reject", "response": "Déjà partagé."},
        )
    [message] = smtp_inbox.messages
    text, html = parts(message)
    assert the_button(html).endswith("/me/suggest/") and "Vos suggestions" in html
    assert "Déjà partagé." in text and "Déjà partagé." in html
