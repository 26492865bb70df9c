"""The instance operator: list, create, suspend and resume organisations; what suspension does."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ambassade.core.authz import actor_for_person
from ambassade.core.models import AuditEvent, Organisation
from ambassade.people.actions import create_api_token
from ambassade.testing.factories import UserFactory
from ambassade.tracking.actions import create_link

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password


def operator(*args: str) -> str:
    out = io.StringIO()
    call_command("operator", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def operator_client() -> Client:
    client = Client()
    client.force_login(UserFactory(email="ops@instance.example", is_staff=True))
    return client


def test_list_as_json_names_every_organisation(persona):
    rows = json.loads(operator("list", "--json"))
    assert [(row["slug"], row["people"], row["suspended_at"]) for row in rows] == [
        ("acme", 8, None),
        ("elsewhere", 1, None),
    ]


def test_create_as_json(tmp_path, persona):
    password = tmp_path / "password"
    password.write_text("another good passphrase 7\n")
    row = json.loads(
        operator(
            "create",
            "--organisation",
            "Globex",
            "--admin-email",
            "hank@globex.example",
            "--admin-name",
            "Hank Scorpio",
            "--languages",
            "en",
            "--password-file",
            str(password),
            "--json",
        )
    )
    assert (row["name"], row["slug"], row["admin"], row["languages"]) == (
        "Globex",
        "globex",
        "hank@globex.example",
        ["en"],
    )
    globex = Organisation.objects.get(slug="globex")
    assert AuditEvent.objects.filter(
        organisation=globex, action="organisation.created", via="operator"
    ).exists()


def test_create_with_bad_input_says_which(persona, tmp_path):
    password = tmp_path / "password"
    password.write_text("another good passphrase 7\n")
    with pytest.raises(CommandError, match="--admin-email: “x” is not a valid e-mail address"):
        operator(
            "create",
            "--organisation",
            "Globex",
            "--admin-email",
            "x",
            "--admin-name",
            "H S",
            "--password-file",
            str(password),
        )
    assert not Organisation.objects.filter(name="Globex").exists()


def test_suspend_and_resume_as_json_are_audited(persona):
    row = json.loads(operator("suspend", "acme", "--json"))
    assert row["changed"] is True and row["suspended_at"] is not None
    assert json.loads(operator("suspend", "acme", "--json"))["changed"] is False
    row = json.loads(operator("resume", "acme", "--json"))
    assert row["changed"] is True and row["suspended_at"] is None
    actions = AuditEvent.objects.filter(organisation=persona.organisation).values_list(
        "action", flat=True
    )
    assert set(actions) >= {"organisation.suspended", "organisation.resumed"}
    with pytest.raises(CommandError, match="No organisation with the short name “nope”"):
        operator("suspend", "nope")


def test_a_suspended_organisations_people_cannot_sign_in(persona, client):
    operator("suspend", "acme")
    response = client.post(
        "/accounts/login/", {"login": "admin@example.com", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 403
    assert "Access suspended" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another organisation is untouched.
    other = Client()
    other.post("/accounts/login/", {"login": "outsider@example.com", "password": PASSWORD})
    assert other.get("/console/").status_code == 200


def test_a_signed_in_session_is_refused_at_the_next_request(persona, client_for):
    client = client_for(persona.marketer)
    assert client.get("/console/").status_code == 200
    operator("suspend", "acme")
    assert client.get("/console/").status_code == 403
    assert client.get("/api/v1/me").status_code == 401
    operator("resume", "acme")
    assert client.get("/console/").status_code == 302  # signed out: back to the sign-in page


def test_api_tokens_are_refused_and_links_keep_redirecting(persona, client):
    _token, secret = create_api_token(
        actor_for_person(persona.admin), name="ci", scopes=["profile:read"]
    )
    link = create_link(
        organisation=persona.organisation,
        person=persona.ambassador,
        url="https://acme.example/news",
        network="linkedin",
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/me", **headers).status_code == 200

    operator("suspend", "acme")

    refused = client.get("/api/v1/me", **headers)
    assert refused.status_code == 401 and refused.json()["error"]["code"]
    redirect = client.get(
        f"/r/{link.code}", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
    )
    assert redirect.status_code == 302 and redirect["Location"].startswith(
        "https://acme.example/news"
    )
    assert Organisation.objects.filter(slug="acme").exists()
    operator("resume", "acme")
    assert client.get("/api/v1/me", **headers).status_code == 200


def test_the_operator_page_lists_creates_suspends_and_resumes(persona, operator_client):
    assert operator_client.get("/")["Location"] == "/operator/organisations/"
    page = operator_client.get("/operator/organisations/")
    body = page.content.decode()
    assert page.status_code == 200 and "Acme" in body and "Elsewhere Ltd" in body

    acme = persona.organisation
    assert operator_client.post(f"/operator/organisations/{acme.pk}/suspend").status_code == 302
    acme.refresh_from_db()
    assert acme.is_suspended
    event = AuditEvent.objects.get(organisation=acme, action="organisation.suspended")
    assert (event.via, event.actor_label) == ("operator", "operator ops@instance.example")
    assert operator_client.post(f"/operator/organisations/{acme.pk}/resume").status_code == 302
    acme.refresh_from_db()
    assert not acme.is_suspended

    response = operator_client.post(
        "/operator/organisations/",
        {
            "organisation": "Globex",
            "admin_name": "Hank Scorpio",
            "admin_email": "hank@globex.example",
            "languages": ["en"],
            "default_language": "en",
            "time_zone": "America/Chicago",
            "password": "another good passphrase 7",
            "password_again": "another good passphrase 7",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(slug="globex").time_zone == "America/Chicago"


def test_a_company_admin_never_reaches_the_operator_page(persona, client_for):
    acme = persona.organisation
    for person in (persona.admin, persona.outsider, persona.employee):
        client = client_for(person)
        assert client.get("/operator/organisations/").status_code == 403
        assert client.post(f"/operator/organisations/{acme.pk}/suspend").status_code == 403
        assert client.post(f"/operator/organisations/{acme.pk}/resume").status_code == 403
    acme.refresh_from_db()
    assert not acme.is_suspended
    # Their own console lists only their organisation's people.
    body = client_for(persona.admin).get("/console/people/").content.decode()
    assert "outsider@example.com" not in body and "Elsewhere Ltd" not in body


def test_anonymous_visitors_are_sent_to_sign_in(persona, client):
    response = client.get("/operator/organisations/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert (
        client.post(f"/operator/organisations/{persona.organisation.pk}/suspend").status_code == 302
    )
