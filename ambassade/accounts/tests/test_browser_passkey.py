"""A console role asked to enrol a second factor adds a passkey with Chromium's virtual
authenticator, then signs in with it: in French, on a 360 px wide phone."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from ambassade.accounts.models import TwoFactorPolicy
from ambassade.core.roles import Role
from ambassade.people.models import Person
from ambassade.testing.browser import virtual_authenticator
from ambassade.testing.factories import PersonFactory

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "correct horse battery staple"
PHONE = {"width": 360, "height": 780}


def expect(target: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    # A loaded machine: the first request warms the whole site up.
    playwright_expect.set_options(timeout=30_000)
    return playwright_expect(target)


def test_a_marketer_enrols_a_passkey_and_signs_in_with_it(
    live_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    person = cast(
        Person, PersonFactory(email="lea@example.com", roles=[Role.MARKETING], with_user=True)
    )
    TwoFactorPolicy.objects.create(
        organisation=person.organisation,
        required_for_console=True,
        grace_days=7,
        required_since=timezone.now() - timedelta(days=8),
    )
    page = new_page(locale="fr-FR", viewport=PHONE)
    page.set_default_timeout(60_000)
    virtual_authenticator(page)
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail professionnel").fill("lea@example.com")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    # The grace period is over: enrolment comes before anything else.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    expect(page.get_by_text("Votre organisation exige la double authentification")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.goto(f"{live_server.url}/accounts/2fa/webauthn/add/?passwordless")
    # Adding a factor asks for the password again.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    page.get_by_label("Nom").fill("Mon téléphone")
    passwordless = page.get_by_label(re.compile("sans mot de passe", re.IGNORECASE))
    if passwordless.count():
        passwordless.check()
    page.get_by_role("button", name="Ajouter").click()
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    assert Authenticator.objects.filter(user=person.user, type=Authenticator.Type.WEBAUTHN).exists()
    # The console opens now.
    page.goto(f"{live_server.url}/console/")
    expect(page).to_have_url(re.compile(r"/console/$"))

    # Another phone: the passkey alone signs in.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Se connecter avec une clé d'accès").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{live_server.url}/console/")
    expect(page).to_have_url(re.compile(r"/console/$"))
    assert not [error for error in errors if "Content Security Policy" in error], errors
