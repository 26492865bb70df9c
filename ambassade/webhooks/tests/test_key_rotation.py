"""Rotating the encryption keys re-encrypts the secrets of every app that keeps one:
after the old key is dropped, a webhook's signing secret and a chat channel's address
still read."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from ambassade.chat_channels.models import ChatChannel
from ambassade.core.models import Organisation
from ambassade.programs.models import Program
from ambassade.sharing import crypto
from ambassade.webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_rotation_keeps_the_webhook_and_chat_channel_secrets_readable(settings) -> None:
    organisation = Organisation.objects.create(name="Verdier", slug="verdier")
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        url="https://hooks.example/ambassade",
        secrets_encrypted=crypto.encrypt({"current": "whsec_abc", "previous": ""}),
    )
    program = Program.objects.create(organisation=organisation, name="Ambassadeurs")
    channel = ChatChannel(organisation=organisation, program=program, kind="slack", name="Général")
    channel.store_webhook("https://hooks.slack.example/T1/B2/secret", "hooks.slack.example")
    channel.save()

    old = list(settings.SHARING_KEYS)
    settings.SHARING_KEYS = [Fernet.generate_key().decode(), *old]
    out = io.StringIO()
    call_command("rotate_sharing_keys", stdout=out)
    settings.SHARING_KEYS = settings.SHARING_KEYS[:1]  # the old key is dropped

    endpoint.refresh_from_db()
    channel.refresh_from_db()
    assert crypto.decrypt(endpoint.secrets_encrypted)["current"] == "whsec_abc"
    assert channel.webhook_url == "https://hooks.slack.example/T1/B2/secret"
    assert "2 secrets re-encrypted" in out.getvalue()
