"""In a real browser: a person of Verdier signs in through the local SAML provider and
lands in their ambassador space, signed in."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from ambassade.identity.models import LinkedIdentity
from ambassade.identity.tests.saml_support import NORA, saml_connection, saml_idp
from ambassade.people.models import Person
from ambassade.testing.browser import expect
from ambassade.testing.factories import PersonFactory
from ambassade.testing.saml_idp import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

    from ambassade.testing.saml_idp import LocalSamlIdp

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
__all__ = ["saml_idp"]  # fixture


def test_nora_signs_in_through_her_providers_page_and_lands_in_her_space(
    live_server: LiveServer, page: Page, saml_idp: LocalSamlIdp, settings: Any
) -> None:
    settings.BASE_URL = live_server.url  # our entity id and ACS, as the provider knows them
    connection = saml_connection(saml_idp)
    nora: Any = PersonFactory(organisation=connection.organisation, email=NORA, first_name="Nora")

    # Nora types only her work address on the sign-in page: its domain sends her on.
    page.goto(f"{live_server.url}/accounts/login/", timeout=30_000)
    page.locator("#id_organisation_login").fill(NORA)
    page.get_by_role(
        "button",
        name=re.compile(
            "^(Continue with my organisation's account|Continuer avec le"
            " compte de mon organisation)$"
        ),
    ).click()
    expect(page.get_by_role("heading", name="Local identity provider")).to_be_visible()
    page.get_by_label("Person").select_option(NORA)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/me/home/$"))
    expect(page.get_by_role("heading", name=re.compile("^(Hello|Bonjour) Nora$"))).to_be_visible()
    nora = Person.objects.get(pk=nora.pk)
    assert nora.user is not None
    assert LinkedIdentity.objects.get(connection=connection).person == nora
