"""Mail: the embedded outbox, its page, and a real SMTP round trip."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import get_connection
from django.test import Client

from ambassade.core import mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def embedded_outbox(settings, tmp_path):
    """pytest-django swaps in its memory backend; these tests want the real outbox."""
    settings.EMAIL_BACKEND = "ambassade.core.mail.OutboxBackend"
    settings.MAIL_OUTBOX_DIR = tmp_path / "mail"


def test_outbox_keeps_each_message_for_its_organisation_only(persona, client_for) -> None:
    mail.send(organisation_slug="acme", subject="Bienvenue", body="Bonjour", to=["a@example.com"])
    mail.send(
        organisation_slug="elsewhere", subject="Secret", body="not yours", to=["b@example.com"]
    )
    admin = client_for(persona.admin)
    page = admin.get("/console/outbox/")
    assert page.status_code == 200
    assert "Bienvenue" in page.content.decode()
    assert "Secret" not in page.content.decode()
    [message] = mail.outbox_messages("acme")
    detail = admin.get(f"/console/outbox/{message.name}")
    assert "Bonjour" in detail.content.decode()
    [other] = mail.outbox_messages("elsewhere")
    assert admin.get(f"/console/outbox/{other.name}").status_code == 404


def test_outbox_refuses_paths_outside_the_folder(persona, client_for) -> None:
    admin = client_for(persona.admin)
    assert admin.get("/console/outbox/..%2Fsecret_key").status_code == 404
    assert mail.outbox_message("acme", "../secret_key") is None


def test_only_admins_read_the_outbox(persona, client_for) -> None:
    assert client_for(persona.hr).get("/console/outbox/").status_code == 403
    assert client_for(persona.outsider).get("/console/outbox/").status_code == 200  # their own


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_mail_goes_through_a_real_smtp_server(settings) -> None:
    inbox = _Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        connection = get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host="127.0.0.1",
            port=port,
            use_tls=False,
            timeout=10,
        )
        from django.core.mail import EmailMessage

        sent = EmailMessage(
            "Invitation au programme",
            "Vous êtes invitée.",
            "ambassade@localhost",
            ["lea@example.com"],
            connection=connection,
            headers={mail.ORGANISATION_HEADER: "acme"},
        ).send()
    finally:
        controller.stop()
    assert sent == 1
    [raw] = inbox.messages
    received = message_from_bytes(raw, policy=default_policy)
    assert received["Subject"] == "Invitation au programme"
    assert received["To"] == "lea@example.com"
    assert received.get_body().get_content().strip() == "Vous êtes invitée."


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    response = client.get("/console/outbox/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
