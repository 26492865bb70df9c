"""The person's pages and the directory, through HTTP."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ambassade.core.models import AuditEvent
from ambassade.people.models import ApiToken
from ambassade.testing.factories import DepartmentFactory, PersonFactory, SiteFactory

pytestmark = pytest.mark.django_db


def test_the_directory_lists_people_in_a_fixed_number_of_queries(persona, client_for) -> None:
    client = client_for(persona.hr)
    department = DepartmentFactory(organisation=persona.organisation)
    site = SiteFactory(organisation=persona.organisation)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/console/people/").status_code == 200
        return len(captured)

    PersonFactory(organisation=persona.organisation, department=department, site=site)
    few = queries()
    manager = PersonFactory(organisation=persona.organisation)
    for _ in range(30):
        PersonFactory(
            organisation=persona.organisation, department=department, site=site, manager=manager
        )
    assert queries() == few


def test_the_directory_searches_and_never_shows_another_organisation(persona, client_for) -> None:
    PersonFactory(organisation=persona.organisation, first_name="Gaëlle", last_name="Nouvel")
    PersonFactory(
        organisation=persona.outsider.organisation, first_name="Gaëlle", last_name="Ailleurs"
    )
    page = client_for(persona.hr).get("/console/people/?q=Gaëlle").content.decode()
    assert "Nouvel" in page
    assert "Ailleurs" not in page


def test_preferences_are_saved_and_audited(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    response = client.post("/me/", {"language": "fr", "time_zone": "America/Montreal"})
    assert response.status_code == 302
    persona.ambassador.user.refresh_from_db()
    assert persona.ambassador.user.language == "fr"
    assert persona.ambassador.user.time_zone == "America/Montreal"
    assert AuditEvent.objects.filter(action="profile.preferences_changed").count() == 1
    page = client.get("/me/").content.decode()
    assert 'lang="fr"' in page
    assert "Préférences" in page


def test_an_unknown_time_zone_is_refused_next_to_the_field(persona, client_for) -> None:
    response = client_for(persona.ambassador).post(
        "/me/", {"language": "en", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_token_created_in_the_page_is_shown_once(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    response = client.post("/me/tokens/", {"name": "my script", "scopes": ["profile:read"]})
    page = response.content.decode()
    token = ApiToken.objects.get()
    assert 'id="new-secret"' in page
    assert token.prefix in page
    assert 'id="new-secret"' not in client.get("/me/tokens/").content.decode()
    # Only admins are offered organisation tokens.
    assert "organisation_wide" not in page
    assert "organisation_wide" in client_for(persona.admin).get("/me/tokens/").content.decode()


def test_a_token_form_without_scopes_says_so(persona, client_for) -> None:
    response = client_for(persona.ambassador).post("/me/tokens/", {"name": "x"})
    assert "Choose at least one scope." in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_people_revoke_only_their_own_tokens(persona, client_for) -> None:
    client_for(persona.hr).post("/me/tokens/", {"name": "hr script", "scopes": ["profile:read"]})
    token = ApiToken.objects.get()
    assert client_for(persona.ambassador).post(f"/me/tokens/{token.pk}/revoke").status_code == 404
    assert client_for(persona.hr).post(f"/me/tokens/{token.pk}/revoke").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_home_sends_each_persona_to_their_space(persona, client_for, client: Client) -> None:
    assert client.get("/")["Location"] == "/accounts/login/"
    assert client_for(persona.marketer).get("/")["Location"] == "/console/"
    assert client_for(persona.ambassador).get("/")["Location"] == "/me/home/"
