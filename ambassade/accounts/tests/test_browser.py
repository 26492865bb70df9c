"""The login page in a real browser (Debian's Chromium through Playwright), on a phone."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from ambassade.core.roles import Role
from ambassade.testing.factories import PersonFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def expect(target: Any) -> Any:
    """Playwright's expect, imported late so that a missing Playwright skips, not errors."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


@pytest.mark.parametrize("browser_locale", ["fr-FR"])
def test_the_login_page_speaks_french_to_a_french_browser(
    live_server: LiveServer, page: Page
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Se connecter à Ambassade")).to_be_visible()
    expect(page.get_by_role("button", name="Se connecter", exact=True)).to_be_visible()


@pytest.mark.parametrize("browser_locale", ["en-GB"])
def test_the_login_page_speaks_english_to_an_english_browser(
    live_server: LiveServer, page: Page
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Sign in to Ambassade")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()


def test_choosing_francais_switches_the_page_to_french(live_server: LiveServer, page: Page) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # The choice alone changes nothing (an arrow key must not reload the page): its button does.
    page.get_by_label("Language").select_option(label="Français")
    page.wait_for_timeout(300)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("heading", name="Se connecter à Ambassade")).to_be_visible()
    expect(page.get_by_label("Langue")).to_have_value("fr")


def test_an_ambassador_signs_in_and_lands_on_their_space(
    live_server: LiveServer, page: Page
) -> None:
    PersonFactory(email="lea@example.com", roles=[Role.AMBASSADOR], with_user=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Work e-mail").fill("lea@example.com")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/me/home/")
    # On a phone, signing out is on "Me", one tap away in the bottom bar.
    page.get_by_role("navigation", name="Ambassador space").get_by_role(
        "link", name="Me", exact=True
    ).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_the_first_tab_reaches_the_skip_link(live_server: LiveServer, page: Page) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused(timeout=1_000)


def test_the_skip_link_comes_first_and_leads_to_the_content(
    live_server: LiveServer, page: Page
) -> None:
    # A page of the same layout without an autofocused field: the not-found page.
    page.goto(f"{live_server.url}/accounts/no-such-page/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
