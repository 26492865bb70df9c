"""`ambassade setup`: an organisation and its first admin, or nothing at all."""

from __future__ import annotations

import io
import sys

import pytest
from django.core.management import CommandError, call_command

from ambassade.accounts.models import User
from ambassade.content.models import ContentSettings
from ambassade.core.models import AuditEvent, Organisation
from ambassade.core.signals import organisation_created
from ambassade.people.models import Person
from ambassade.programs.models import AmbassadorKind, AmbassadorType
from ambassade.sharing.models import SharingSettings

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(GOOD_PASSWORD + "\n", encoding="utf-8")
    return path


def setup(*args: str, stdin: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    call_command("setup", *args, stdout=out)
    return out.getvalue()


def flags(password_file, **overrides: str) -> list[str]:
    values = {
        "--organisation": "Acme",
        "--admin-email": "Alice@Acme.example",
        "--admin-name": "Alice Martin",
        "--languages": "fr,en",
        "--time-zone": "Europe/Paris",
        "--password-file": str(password_file),
    }
    values.update(overrides)
    return [part for flag, value in values.items() for part in (flag, value)] + ["--no-input"]


def test_setup_with_flags_creates_the_organisation_and_its_admin(password_file):
    output = setup(*flags(password_file))

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.slug) == ("Acme", "acme")
    assert organisation.languages == ["fr", "en"]
    assert (organisation.default_language, organisation.time_zone) == ("fr", "Europe/Paris")
    admin = Person.objects.get(organisation=organisation)
    assert admin.role_set == {"admin", "employee"}
    assert (admin.first_name, admin.last_name, admin.email) == (
        "Alice",
        "Martin",
        "alice@acme.example",
    )
    assert admin.user.check_password(GOOD_PASSWORD)
    assert admin.user.language == "fr"
    assert AuditEvent.objects.filter(
        organisation=organisation, action="organisation.created", via="cli"
    ).exists()
    assert "Created the organisation “Acme”" in output


def test_new_organisation_has_its_defaults_and_nothing_of_the_demo(password_file):
    setup(*flags(password_file))
    organisation = Organisation.objects.get()

    assert ContentSettings.objects.filter(organisation=organisation).exists()
    assert SharingSettings.objects.filter(organisation=organisation).exists()
    assert Person.objects.filter(organisation=organisation).count() == 1
    assert not organisation.programs.exists()


def test_new_french_organisation_has_translated_ambassador_types(password_file):
    setup(*flags(password_file, **{"--languages": "fr"}))
    types = AmbassadorType.objects.filter(organisation__name="Acme")

    assert types.count() == len(AmbassadorKind)
    supporter = types.get(kind=AmbassadorKind.SUPPORTER)
    assert (
        supporter.required_training == "Aucune obligatoire ; une courte introduction est proposée."
    )
    assert supporter.posting_guidance.startswith("Relayez les contenus que vous choisissez")


def test_new_english_organisation_has_english_ambassador_types(password_file):
    setup(*flags(password_file, **{"--languages": "en,fr"}))
    supporter = AmbassadorType.objects.get(organisation__name="Acme", kind=AmbassadorKind.SUPPORTER)
    assert supporter.required_training == "None required; a short introduction is offered."


def test_interactive_setup_reads_answers_and_the_password_twice(monkeypatch):
    answers = "\n".join(
        [
            "Acme",
            "bob@acme.example",
            "Bob Durand",
            "en",
            "America/Montreal",
            GOOD_PASSWORD,
            GOOD_PASSWORD,
        ]
    )
    output = setup(stdin=answers + "\n", monkeypatch=monkeypatch)

    organisation = Organisation.objects.get()
    assert (organisation.languages, organisation.time_zone) == (["en"], "America/Montreal")
    assert User.objects.get(email="bob@acme.example").check_password(GOOD_PASSWORD)
    assert "Password of the admin:" in output


def test_interactive_setup_refuses_two_different_passwords(monkeypatch):
    answers = "\n".join(["Acme", "bob@acme.example", "Bob Durand", "", "", GOOD_PASSWORD, "other"])
    with pytest.raises(CommandError, match="The two passwords differ"):
        setup(stdin=answers + "\n", monkeypatch=monkeypatch)
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_setup_refuses_when_an_organisation_exists_unless_asked(password_file):
    setup(*flags(password_file))
    with pytest.raises(CommandError, match="An organisation already exists on this instance"):
        setup(*flags(password_file, **{"--organisation": "Other"}))
    assert Organisation.objects.count() == 1

    setup(*flags(password_file, **{"--organisation": "Other"}), "--add-another")
    other = Organisation.objects.get(name="Other")
    # The same address keeps its one account, now a member of both organisations.
    assert User.objects.count() == 1
    assert Person.objects.get(organisation=other).user == User.objects.get()


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            {"--admin-email": "not-an-address"},
            "--admin-email: “not-an-address” is not a valid e-mail address.",
        ),
        ({"--time-zone": "Mars/Olympus"}, "--time-zone: Unknown time zone “Mars/Olympus”"),
        ({"--languages": "fr,de"}, "--languages: Unknown languages: de. Available: en, fr."),
        ({"--organisation": "  "}, "--organisation: Give the organisation a name."),
        ({"--admin-name": " "}, "--admin-name: Give the admin's name."),
    ],
)
def test_bad_input_gets_its_own_message_and_leaves_nothing(password_file, override, message):
    with pytest.raises(CommandError) as raised:
        setup(*flags(password_file, **override))
    assert message in str(raised.value)
    assert "Nothing was created" in str(raised.value)
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "This password is too short."), ("password123", "This password is too common.")],
)
def test_a_password_failing_the_validators_is_refused(tmp_path, password, message):
    path = tmp_path / "password"
    path.write_text(password, encoding="utf-8")
    with pytest.raises(CommandError, match=f"--password-file: {message}"):
        setup(*flags(path))
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_a_missing_password_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="--password-file: cannot read"):
        setup(*flags(tmp_path / "absent"))


def test_a_failing_default_rolls_everything_back(password_file):
    """A receiver that fails (a higher app's defaults) leaves no organisation without admin."""

    def broken(**_kwargs):
        raise RuntimeError("defaults failed")

    organisation_created.connect(broken, dispatch_uid="test.broken")
    try:
        with pytest.raises(RuntimeError):
            setup(*flags(password_file))
    finally:
        organisation_created.disconnect(dispatch_uid="test.broken")
    assert not Organisation.objects.exists()
    assert not User.objects.exists()
    assert not Person.objects.exists()
    assert not AuditEvent.objects.exists()


# A management command run from the command line closes the database connections when
# it ends: the test cannot sit inside a transaction held on one of them (PostgreSQL).
@pytest.mark.django_db(transaction=True)
def test_the_command_line_migrates_and_runs_setup(password_file, monkeypatch):
    """`ambassade setup` goes through cli.py to the management command."""
    from ambassade import cli

    calls = []
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: calls.append(a))
    assert cli.main(["setup", *flags(password_file)]) == 0
    assert calls == [("migrate",)]
    assert Organisation.objects.filter(name="Acme").exists()
