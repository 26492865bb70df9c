"""Secrets: encrypted at rest, rotated, never shown, deleted when they must be."""

from __future__ import annotations

import logging
import stat

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from ambassade.core.config import ConfigError
from ambassade.core.models import AuditEvent
from ambassade.people.signals import person_departed
from ambassade.programs.models import Enrolment
from ambassade.programs.signals import enrolment_left
from ambassade.sharing import actions, crypto
from ambassade.sharing.models import SocialAccount
from ambassade.sharing.tests.conftest import SECRET, as_actor

pytestmark = pytest.mark.django_db


def test_round_trip_and_rotation(settings, account) -> None:
    assert SECRET not in account.secrets
    assert account.credentials.secrets == {"token": SECRET}
    old = list(settings.SHARING_KEYS)
    new = Fernet.generate_key().decode()
    settings.SHARING_KEYS = [new, *old]
    call_command("rotate_sharing_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.SHARING_KEYS = [new]  # the old key is dropped: everything still reads
    account.refresh_from_db()
    assert account.credentials.secrets == {"token": SECRET}
    settings.SHARING_KEYS = old
    with pytest.raises(ConfigError):
        crypto.decrypt(account.secrets)


def test_keys_are_validated_and_generated_once(tmp_path) -> None:
    with pytest.raises(ConfigError, match="SHARING_KEYS: key 2 is not a Fernet key"):
        crypto.load_keys(f"{Fernet.generate_key().decode()},nope", tmp_path)
    first = crypto.load_keys("", tmp_path)
    assert crypto.load_keys("", tmp_path) == first
    assert stat.S_IMODE((tmp_path / "sharing_keys").stat().st_mode) == 0o600


def test_disconnection_deletes_the_secrets(account, enrolled) -> None:
    actions.disconnect(as_actor(enrolled), account)
    account.refresh_from_db()
    assert account.secrets == "" and account.status == SocialAccount.Status.DISCONNECTED


def test_departure_deletes_the_secrets(account, enrolled) -> None:
    person_departed.send(sender=type(enrolled), person=enrolled, actor=None)
    account.refresh_from_db()
    assert account.secrets == ""


@pytest.mark.parametrize("disconnect", [True, False])
def test_leaving_a_program_deletes_the_secrets_when_asked(account, enrolled, disconnect) -> None:
    enrolment = Enrolment.objects.get(person=enrolled)
    enrolment_left.send(
        sender=Enrolment,
        enrolment=enrolment,
        disconnect_accounts=disconnect,
        anonymise_history=False,
    )
    account.refresh_from_db()
    assert (account.secrets == "") is disconnect


def test_no_secret_in_api_audit_or_logs(account, enrolled, persona, client_for, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    mine = client_for(enrolled).get("/api/v1/sharing/accounts")
    assert mine.status_code == 200 and mine.json()[0]["handle"] == "@alice@fake"
    admin = client_for(persona.admin).get("/console/sharing/")
    assert "@alice@fake" in admin.content.decode()
    actions.disconnect(as_actor(enrolled), account)
    texts = [mine.content.decode(), admin.content.decode(), caplog.text, repr(account)]
    texts += [str(event.before) + str(event.after) for event in AuditEvent.objects.all()]
    assert all(SECRET not in text for text in texts)
    assert "secrets" not in mine.json()[0]
