"""The OpenID Connect flow against a real local provider (oidc-provider-mock), through
HTTP: a sign-in, two tabs at once, the state used once, the provider's refusal, the token
endpoint's error, the admin's test, the provider's logout."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from ambassade.core.models import AuditEvent
from ambassade.core.roles import Role
from ambassade.identity import oidc
from ambassade.identity.models import Connection, LinkedIdentity, UnknownPeople
from ambassade.identity.tests.oidc_support import (
    JEANNE,
    NORA,
    QUIET_MOCK,
    OidcBrowser,
    consent,
    mock_provider,
    nothing_written,
    refusal_detail,
    verdier_connection,
)
from ambassade.people.models import Person
from ambassade.testing.factories import PersonFactory

pytestmark = [
    pytest.mark.django_db,
    *QUIET_MOCK,
]
__all__ = ["mock_provider"]  # fixture


@pytest.fixture
def connection(mock_provider: str) -> Connection:
    return verdier_connection(mock_provider)


@pytest.fixture
def nora_browser(connection: Connection) -> OidcBrowser:
    return OidcBrowser(Client(), connection)


def test_nora_signs_in_and_is_created_as_an_employee(nora_browser: OidcBrowser) -> None:
    sent = nora_browser.start("?next=/me/home/")
    assert sent["scope"] == "openid email profile"
    assert sent["code_challenge_method"] == "S256" and len(sent["code_challenge"]) == 43
    assert sent["redirect_uri"] == oidc.redirect_uri(
        RequestFactory().get("/"), nora_browser.connection
    )

    answer = nora_browser.back(consent(sent["_url"]))

    assert answer.status_code == 302 and answer["Location"] == "/me/home/"
    nora = Person.objects.get(email=NORA)
    assert (nora.first_name, nora.last_name) == ("Nora", "Lambert")
    assert LinkedIdentity.objects.get(person=nora).subject == "nora"
    assert nora_browser.client.get("/me/home/").status_code == 200
    assert AuditEvent.objects.filter(action="identity.person_created", via="sso").exists()


def test_a_known_person_gets_her_account_linked(nora_browser: OidcBrowser) -> None:
    nora = PersonFactory(
        organisation=nora_browser.connection.organisation, email=NORA, roles=[Role.AMBASSADOR]
    )
    sent = nora_browser.start()
    assert nora_browser.back(consent(sent["_url"]))["Location"] == "/"
    nora.refresh_from_db()
    assert nora.user is not None and nora.user.email == NORA
    assert Person.objects.count() == 1
    assert nora_browser.client.get("/", follow=True).redirect_chain[-1][0] == "/me/home/"


def test_two_tabs_each_finish_their_own_sign_in(nora_browser: OidcBrowser) -> None:
    first = nora_browser.start("?next=/me/home/")
    second = nora_browser.start("?next=/me/")
    assert first["state"] != second["state"] and first["nonce"] != second["nonce"]
    assert nora_browser.back(consent(second["_url"]))["Location"] == "/me/"
    assert nora_browser.back(consent(first["_url"]))["Location"] == "/me/home/"


def test_a_state_is_used_once(nora_browser: OidcBrowser) -> None:
    back = consent(nora_browser.start()["_url"])
    assert nora_browser.back(back).status_code == 302
    again = nora_browser.back(back)
    assert again.status_code == 403
    assert refusal_detail() == "state unknown or used"


def test_an_unknown_state_is_refused_and_writes_nothing(nora_browser: OidcBrowser) -> None:
    sent = nora_browser.start()
    back = consent(sent["_url"]).replace(sent["state"], "forged-state")
    answer = nora_browser.back(back)
    assert answer.status_code == 403
    assert "could not be verified" in answer.content.decode()
    assert refusal_detail() == "state unknown or used"
    assert nothing_written()


def test_another_browser_cannot_use_the_answer(nora_browser: OidcBrowser) -> None:
    back = consent(nora_browser.start()["_url"])
    thief = OidcBrowser(Client(), nora_browser.connection)
    assert thief.back(back).status_code == 403
    assert refusal_detail() == "state unknown or used"
    assert nothing_written()


def test_the_person_saying_no_at_the_provider_is_refused(nora_browser: OidcBrowser) -> None:
    back = consent(nora_browser.start()["_url"], deny=True)
    assert nora_browser.back(back).status_code == 403
    assert refusal_detail().startswith("provider answered error=access_denied")
    assert nothing_written()


def test_a_code_the_token_endpoint_refuses(nora_browser: OidcBrowser) -> None:
    sent = nora_browser.start()
    answer = nora_browser.client.get(
        f"/sso/oidc/{nora_browser.connection.pk}/callback",
        {"state": sent["state"], "code": "not-a-code-of-the-provider"},
    )
    assert answer.status_code == 403
    assert refusal_detail() == "token endpoint answered 400 invalid_grant"
    assert nothing_written()


def test_an_unknown_person_is_refused_when_the_connection_says_so(
    nora_browser: OidcBrowser,
) -> None:
    Connection.objects.filter(pk=nora_browser.connection.pk).update(
        unknown_people=UnknownPeople.REFUSE
    )
    answer = nora_browser.back(consent(nora_browser.start()["_url"]))
    assert answer.status_code == 403
    event = AuditEvent.objects.get(action="identity.sign_in_refused")
    assert event.after["reason"] == "unknown_person"
    assert nothing_written()


def test_a_switched_off_connection_does_not_start(nora_browser: OidcBrowser) -> None:
    Connection.objects.filter(pk=nora_browser.connection.pk).update(enabled=False)
    answer = nora_browser.client.get(f"/sso/oidc/{nora_browser.connection.pk}/start")
    assert answer.status_code == 403
    assert AuditEvent.objects.get(action="identity.sign_in_refused").after["reason"] == "disabled"


def test_the_admins_test_keeps_the_claims_and_what_is_missing(
    connection: Connection, client_for: Any
) -> None:
    admin = PersonFactory(
        organisation=connection.organisation,
        email="admin@verdier.example",
        roles=[Role.ADMIN],
        with_user=True,
    )
    tester = OidcBrowser(client_for(admin), connection)
    back = consent(tester.start("?test=1")["_url"], sub="jeanne")

    answer = tester.back(back)

    assert answer.status_code == 302
    assert answer["Location"] == f"/console/identity/{connection.pk}/"
    connection.refresh_from_db()
    report = connection.last_test
    assert report["ok"] is True and report["subject"] == "jeanne"
    assert report["received"]["email"] == JEANNE
    assert report["missing"] == ["last_name"]
    assert report["preview"] == {"outcome": "created"}
    assert not Person.objects.filter(email=JEANNE).exists()


def test_only_an_admin_may_test(connection: Connection, client_for: Any) -> None:
    someone = PersonFactory(
        organisation=connection.organisation, email="someone@verdier.example", with_user=True
    )
    answer = client_for(someone).get(f"/sso/oidc/{connection.pk}/start?test=1")
    assert answer.status_code == 403
    assert Client().get(f"/sso/oidc/{connection.pk}/start?test=1").status_code == 403


def test_the_providers_logout_gets_the_id_token_as_hint(nora_browser: OidcBrowser) -> None:
    nora_browser.back(consent(nora_browser.start()["_url"]))
    request = RequestFactory().get("/accounts/logout/")
    request.session = nora_browser.client.session

    url = oidc.logout_url(request, nora_browser.connection)

    assert url is not None and url.startswith(f"{nora_browser.connection.oidc_issuer}/oauth2/")
    sent = dict(pair.split("=", 1) for pair in url.split("?", 1)[1].split("&"))
    assert sent["id_token_hint"].count(".") == 2
    assert "accounts%2Flogin" in sent["post_logout_redirect_uri"]
