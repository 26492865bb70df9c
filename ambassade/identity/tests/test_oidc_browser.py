"""In a real browser, in French: a person of Verdier signs in through the organisation's
OpenID Connect provider (the local oidc-provider-mock and its consent page) and lands in
their ambassador space; someone the organisation does not know is created as an
employee, or refused with the refused page when the connection says so."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from ambassade.core.roles import Role
from ambassade.identity.models import Connection, LinkedIdentity, UnknownPeople
from ambassade.identity.tests.oidc_support import (
    NORA,
    QUIET_MOCK,
    mock_provider,
    verdier_connection,
)
from ambassade.people.models import Person
from ambassade.testing.browser import expect
from ambassade.testing.factories import PersonFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response
    from pytest_django.live_server_helper import LiveServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("transactional_db"),
    *QUIET_MOCK,
    pytest.mark.parametrize("browser_locale", ["fr-FR"]),
]
__all__ = ["mock_provider"]  # fixture
PAUL = "paul@verdier.example"


@pytest.fixture
def verdier(live_server: LiveServer, mock_provider: str, settings: Any) -> Connection:
    settings.BASE_URL = live_server.url  # the redirect URI names the live server
    return verdier_connection(mock_provider)


def through_the_provider(
    page: Page, live_server: LiveServer, connection: Connection, who: str, *, form: str = "main"
) -> Response:
    """From Ambassade's sign-in page to the provider's, where ``who`` signs in; the
    answer of Ambassade's redirect URI. The address alone is typed on the sign-in page:
    its domain is bound to the connection, so no password is asked: in the sign-in form
    (``main``) or in "Sign in with your organisation's account" (``organisation``)."""
    # The mock provider's page asks a CDN for its style sheet: tests never leave the machine.
    page.route(re.compile(r"^https://cdn\.jsdelivr\.net/"), lambda route: route.abort())
    page.goto(f"{live_server.url}/accounts/login/", timeout=30_000)
    if form == "main":
        page.locator("#id_login").fill(who)
        page.get_by_role("button", name="Se connecter", exact=True).click()
    else:
        page.locator("#id_organisation_login").fill(who)
        page.get_by_role("button", name="Continuer avec le compte de mon organisation").click()
    expect(page).to_have_url(re.compile(r"^http://localhost:\d+/oauth2/authorize\?"))
    with page.expect_response(re.compile(r"/sso/oidc/\d+/callback\?")) as answer:
        page.locator("input[name=sub]").fill(who)
        page.get_by_role("button", name="Authorize").click()
    return answer.value


def test_nora_signs_in_through_her_provider_and_lands_in_her_space(
    page: Page, live_server: LiveServer, verdier: Connection
) -> None:
    nora: Any = PersonFactory(
        organisation=verdier.organisation,
        email=NORA,
        first_name="Nora",
        last_name="Lambert",
        roles=[Role.AMBASSADOR],
    )

    assert through_the_provider(page, live_server, verdier, NORA).status == 302

    expect(page).to_have_url(f"{live_server.url}/me/home/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main")).to_contain_text("Nora")
    nora.refresh_from_db()
    assert nora.user is not None and nora.user.email == NORA
    assert LinkedIdentity.objects.get(connection=verdier, person=nora).subject == NORA
    assert Person.objects.count() == 1


def test_someone_new_is_created_as_an_employee(
    page: Page, live_server: LiveServer, verdier: Connection
) -> None:
    answer = through_the_provider(page, live_server, verdier, PAUL, form="organisation")
    assert answer.status == 302

    expect(page).to_have_url(f"{live_server.url}/me/home/")
    paul = Person.objects.get(organisation=verdier.organisation, email=PAUL)
    assert paul.user is not None and paul.role_set == {"employee"}  # no role beyond
    assert LinkedIdentity.objects.filter(person=paul, subject=PAUL).exists()


def test_someone_new_is_refused_when_the_organisation_says_so(
    page: Page, live_server: LiveServer, verdier: Connection
) -> None:
    Connection.objects.filter(pk=verdier.pk).update(unknown_people=UnknownPeople.REFUSE)

    assert through_the_provider(page, live_server, verdier, PAUL).status == 403

    expect(page.locator("h1")).to_have_text("La connexion n’a pas abouti")
    expect(page.locator("main")).to_contain_text("Demandez une invitation à votre équipe RH")
    assert not Person.objects.filter(email=PAUL).exists()
    assert not LinkedIdentity.objects.exists()
