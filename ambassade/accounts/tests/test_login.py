"""Signing in, and the language of the pages (profile, then cookie, then Accept-Language)."""

from __future__ import annotations

import pytest
from django.test import Client

from ambassade.testing.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_login_page_speaks_the_browsers_language(client: Client) -> None:
    french = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert 'lang="fr"' in french.content.decode()
    assert "Se connecter" in french.content.decode()
    english = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert "Sign in to Ambassade" in english.content.decode()


def test_the_language_switch_works_without_javascript(client: Client) -> None:
    response = client.post("/accounts/language/", {"language": "fr", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Se connecter" in page.content.decode()


def test_the_profile_language_wins_and_the_switch_updates_it(client: Client) -> None:
    user = UserFactory(email="lea@example.com", language="fr")
    PersonFactory(email="lea@example.com", user=user)
    client.force_login(user)
    assert 'lang="fr"' in client.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post("/accounts/language/", {"language": "en", "next": "/me/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_wrong_credentials_get_a_clear_message(client: Client) -> None:
    UserFactory(email="lea@example.com")
    response = client.post("/accounts/login/", {"login": "lea@example.com", "password": "nope"})
    assert response.status_code == 200
    message = "The email address and/or password you specified are not correct."
    assert message in response.content.decode()


def test_signing_in_leads_to_the_persons_space(client: Client) -> None:
    user = UserFactory(email="lea@example.com")
    PersonFactory(email="lea@example.com", user=user)
    response = client.post(
        "/accounts/login/",
        {"login": "lea@example.com", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/me/home/"


def test_an_account_with_no_organisation_is_told_why(client: Client) -> None:
    client.force_login(UserFactory(email="nobody@example.com"))
    response = client.get("/")
    assert response.status_code == 403
    assert "not part of an organisation" in response.content.decode()


def test_pages_send_a_strict_content_security_policy(client: Client) -> None:
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
