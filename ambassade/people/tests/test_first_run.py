"""The first-run page: once, behind the code printed in the server's log, then gone."""

from __future__ import annotations

import logging
import re

import pytest

from ambassade.accounts.models import User
from ambassade.core import first_run
from ambassade.core.models import Organisation
from ambassade.people.models import Person

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def production(settings, tmp_path):
    settings.DEBUG = False
    settings.DATA_DIR = tmp_path
    return settings


def form_data(code: str, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": code,
        "organisation": "Acme",
        "admin_name": "Alice Martin",
        "admin_email": "alice@acme.example",
        "languages": ["fr", "en"],
        "default_language": "fr",
        "time_zone": "Europe/Paris",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    data.update(overrides)
    return data


def test_the_server_prints_a_code_at_start_and_keeps_only_its_hash(production, caplog):
    with caplog.at_level(logging.WARNING, logger="ambassade.setup"):
        code = first_run.announce()
    assert code is not None and re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert code in caplog.text and "/setup/" in caplog.text
    stored = (production.DATA_DIR / "setup-code.sha256").read_text()
    assert code not in stored and code.replace("-", "") not in stored
    assert first_run.check_code(code) and first_run.check_code(code.lower().replace("-", " "))


def test_no_code_in_development_nor_once_an_organisation_exists(production, client):
    production.DEBUG = True
    assert first_run.announce() is None
    assert client.get("/setup/").status_code == 404


def test_the_form_creates_the_organisation_with_the_code_then_disappears(production, client):
    code = first_run.announce()
    page = client.get("/setup/")
    assert page.status_code == 200
    assert "One-time code" in page.content.decode()

    response = client.post("/setup/", form_data(code))

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.languages) == ("Acme", ["fr", "en"])
    admin = Person.objects.get(organisation=organisation)
    assert admin.role_set == {"admin", "employee"} and admin.user.check_password(PASSWORD)
    # Never again: neither the page nor the code.
    assert client.get("/setup/").status_code == 404
    assert client.post("/setup/", form_data(code, organisation="Other")).status_code == 404
    assert not (production.DATA_DIR / "setup-code.sha256").exists()
    assert Organisation.objects.count() == 1


def test_without_the_right_code_nothing_is_created(production, client):
    first_run.announce()
    response = client.post("/setup/", form_data("AAAA-BBBB-CCCC"))
    assert response.status_code == 200
    assert "This code is not the one in the server&#x27;s log." in response.content.decode()
    assert not Organisation.objects.exists() and not User.objects.exists()


def test_without_any_code_issued_the_page_does_not_exist(production, client):
    assert client.get("/setup/").status_code == 404
    assert client.post("/setup/", form_data("AAAA-BBBB-CCCC")).status_code == 404


def test_bad_input_is_shown_on_its_field(production, client):
    code = first_run.announce()
    response = client.post(
        "/setup/",
        form_data(
            code,
            admin_email="nobody",
            time_zone="Mars/Olympus",
            password="short",
            password_again="short",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "is not a valid e-mail address" in body
    assert "Unknown time zone" in body
    assert not Organisation.objects.exists() and not User.objects.exists()

    response = client.post("/setup/", form_data(code, password_again="something else"))
    assert "The two passwords differ." in response.content.decode()
    assert not Organisation.objects.exists()


def test_every_persona_gets_a_404_once_organisations_exist(persona, client_for, production):
    first_run.issue_code()
    for person in (persona.admin, persona.employee, persona.outsider):
        assert client_for(person).get("/setup/").status_code == 404
