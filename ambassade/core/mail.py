"""The embedded mail outbox: each message is written as one .eml file under var/mail/.

This lets invitations and notifications work in the demo and on a laptop without a
mail server; admins read the messages on the outbox page. Production sets EMAIL_URL
to an SMTP server and this backend is not used.
"""

from __future__ import annotations

import email
import email.policy
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone


class OutboxBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.directory = Path(settings.MAIL_OUTBOX_DIR)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{timezone.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
            temporary = self.directory / f".{name}.tmp"
            # Written then renamed, so the outbox page never reads half a message.
            temporary.write_bytes(message.message().as_bytes())
            os.replace(temporary, self.directory / name)
            sent += 1
        return sent


@dataclass(frozen=True)
class OutboxMessage:
    name: str
    subject: str
    sender: str
    recipients: str
    sent_at: datetime | None
    body: str
    organisation: str


ORGANISATION_HEADER = "X-Ambassade-Organisation"


def send(
    *,
    organisation_slug: str,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    action_url: str = "",
    action_label: str = "",
    language: str = "",
) -> int:
    """Sends one message on behalf of an organisation: the text, and an HTML part in the
    organisation's colours (core/mail_layout.py) unless one is given.

    ``action_url`` is the one thing the mail asks the reader to do: its line in the text
    becomes a button in the HTML part. The header lets the outbox show each organisation
    only its own mail when several share an instance. ``language`` is the reader's (the
    HTML part's own words follow it); the active language when empty.
    """
    from django.core.mail import EmailMultiAlternatives
    from django.utils import translation

    from ambassade.core.mail_layout import render_html

    if html is None:
        with translation.override(language or translation.get_language()):
            html = render_html(
                organisation_slug=organisation_slug,
                subject=subject,
                body=body,
                action_url=action_url,
                action_label=action_label,
            )
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=to, headers={ORGANISATION_HEADER: organisation_slug}
    )
    message.attach_alternative(html, "text/html")
    return message.send()


def _read(path: Path) -> OutboxMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body_part = parsed.get_body(preferencelist=("plain", "html"))
    date_header = parsed.get("Date")
    return OutboxMessage(
        name=path.name,
        subject=str(parsed.get("Subject", "")),
        sender=str(parsed.get("From", "")),
        recipients=str(parsed.get("To", "")),
        sent_at=_aware(parsedate_to_datetime(date_header)) if date_header else None,
        body=body_part.get_content() if body_part is not None else "",
        organisation=str(parsed.get(ORGANISATION_HEADER, "")),
    )


def _aware(moment: datetime) -> datetime:
    """A ``Date: ... -0000`` header (Django's, unless EMAIL_USE_LOCALTIME) parses to a naive
    time that is UTC: made aware, the outbox shows it in the console's zone like the rest."""
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def outbox_messages(organisation_slug: str, limit: int = 200) -> list[OutboxMessage]:
    """The newest messages sent on behalf of one organisation."""
    directory = Path(settings.MAIL_OUTBOX_DIR)
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.eml"), reverse=True):
        message = _read(path)
        if message.organisation == organisation_slug:
            found.append(message)
            if len(found) >= limit:
                break
    return found


def outbox_message(organisation_slug: str, name: str) -> OutboxMessage | None:
    # Only names we wrote ourselves: no path separators, no parent references.
    if "/" in name or "\\" in name or name.startswith(".") or not name.endswith(".eml"):
        return None
    path = Path(settings.MAIL_OUTBOX_DIR) / name
    if not path.is_file():
        return None
    message = _read(path)
    return message if message.organisation == organisation_slug else None
