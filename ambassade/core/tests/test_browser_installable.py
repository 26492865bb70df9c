"""The installable app in Debian's Chromium: installable, offline page, share target."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest

from ambassade.core.roles import Role
from ambassade.testing.browser import CHROMIUM, CHROMIUM_ARGS, PHONE_VIEWPORT
from ambassade.testing.factories import OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page, Playwright
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "correct horse battery staple"
SHARED_LINK = "https://example.com/blog/nouvelle-usine?utm=1"


@pytest.fixture
def ambassador() -> Any:
    organisation = OrganisationFactory(name="Verdier", slug="verdier-app", brand_colour="#0b6e4f")
    return PersonFactory(
        organisation=organisation,
        email="amb@example.com",
        roles=[Role.AMBASSADOR],
        with_user=True,
    )


@pytest.fixture
def phone(playwright_instance: Playwright, tmp_path: Path) -> Iterator[Page]:
    """A phone-sized Chromium with a profile on disk: Chromium never offers to install an
    app in an incognito window, which is what a plain Playwright context is."""
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport=PHONE_VIEWPORT,
        locale="fr-FR",
    )
    # The live server's first answer loads the whole URL map (the API's included): on a
    # busy machine it takes longer than the default 10 s.
    context.set_default_timeout(30_000)
    try:
        yield context.pages[0] if context.pages else context.new_page()
    finally:
        context.close()


def sign_in(page: Page, live_server: LiveServer) -> None:
    page.locator("input[name=login]").fill("amb@example.com")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("^(Sign in|Se connecter)$")).click()


def test_chromium_finds_the_app_installable_and_offline_shows_a_page(
    live_server: LiveServer, phone: Page, ambassador: Any
) -> None:
    phone.goto(f"{live_server.url}/accounts/login/?next=/me/suggest/")
    sign_in(phone, live_server)
    phone.wait_for_url(re.compile(r"/me/suggest/$"))
    cdp = phone.context.new_cdp_session(phone)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"].endswith("/manifest.webmanifest")
    assert '"Verdier"' in manifest["data"]
    assert phone.evaluate("navigator.serviceWorker.ready.then((r) => Boolean(r.active))")
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

    phone.context.set_offline(True)
    phone.goto(f"{live_server.url}/feed/")
    assert phone.locator("h1").inner_text() in ("No connection", "Pas de connexion")
    assert phone.locator("link[rel=stylesheet]").count() == 1  # the shell's CSS, from the cache
    phone.context.set_offline(False)


def test_a_link_shared_from_android_opens_a_suggestion(
    live_server: LiveServer, phone: Page, ambassador: Any
) -> None:
    # What Chrome on Android opens for "Share → Verdier": the manifest's share_target with
    # GET parameters; many apps put the link in "text".
    query = urlencode({"title": "Nouvelle usine", "text": f"À voir {SHARED_LINK}"})
    phone.goto(f"{live_server.url}/me/suggest/?{query}")
    sign_in(phone, live_server)  # signed out: the sign-in page first, then back
    phone.wait_for_url(re.compile(r"/me/suggest/\?"))
    assert phone.locator("input[name=url]").input_value() == SHARED_LINK
    assert phone.locator("textarea[name=text]").input_value() == "À voir"
