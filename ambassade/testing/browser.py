"""pytest plugin: Playwright driving Debian's Chromium, for browser tests.

Registered by ``ambassade/conftest.py``. It never downloads a browser: it launches the
system Chromium at ``/usr/bin/chromium`` (``apt-get install chromium``). Without it, or
without Playwright, browser tests are skipped locally and fail in CI (``need_service``).

Browser tests combine pytest-django's ``live_server`` and ``transactional_db`` (the live
server answers from another thread, so the test's data must be committed) with ``page``::

    @pytest.mark.browser
    def test_something(live_server, transactional_db, page):
        page.goto(f"{live_server.url}/accounts/login/")

A test chooses its language with ``@pytest.mark.parametrize("browser_locale", ["fr-FR"])``
or, for a page of its own, ``new_page(locale="fr-FR")``.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # tests run as root in containers
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE_VIEWPORT = {"width": 390, "height": 844}
# The console is tried on a desktop and on a 1024-pixel tablet (landscape).
CONSOLE_SCREENS = {
    "1440px": {"width": 1440, "height": 900},
    "1024px": {"width": 1024, "height": 768},
}
DEFAULT_LOCALE = "en-GB"

# Playwright's sync API runs an event loop in the test's thread; Django would take the live
# server's database access for async code and refuse it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def expect(target: Any) -> Any:
    """Playwright's ``expect``, imported when first used: without Playwright, browser tests
    are skipped rather than failing at import."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def sign_in(page: Page, base_url: str, email: str, password: str, next_path: str = "") -> None:
    """The sign-in form, in either language: the address, the password, "Sign in".
    Often a live server's first page: on a loaded machine it may take more than the
    default 10 s (templates compiled, translations loaded)."""
    page.goto(
        f"{base_url}/accounts/login/{'?next=' + next_path if next_path else ''}", timeout=30_000
    )
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name=re.compile("^(Sign in|Se connecter)$")).click()


def virtual_authenticator(page: Page) -> None:
    """A platform authenticator that says yes (CDP WebAuthn domain), for passkey tests."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


@pytest.fixture(params=list(CONSOLE_SCREENS))
def console_screen(request: pytest.FixtureRequest) -> dict[str, int]:
    """Each console browser test that asks for it runs at 1440 and at 1024 pixels."""
    return CONSOLE_SCREENS[request.param]


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    from ambassade.conftest import need_service

    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        need_service(False, f"Playwright cannot be imported ({error})")
        raise  # unreachable: need_service skipped or failed
    if not os.path.exists(CHROMIUM):
        need_service(False, f"{CHROMIUM} is missing (apt-get install chromium)")
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    launched = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield launched
    finally:
        launched.close()


@pytest.fixture
def browser_locale() -> str:
    """The language the browser asks for; override or parametrize it in a test."""
    return DEFAULT_LOCALE


def _await_requests(context: BrowserContext, in_flight: set[Any], seconds: float = 5) -> None:
    """Lets the requests a page still has under way finish: the live server must not be
    answering one (in a transaction) when the test's database is emptied."""
    deadline = time.monotonic() + seconds
    while in_flight and time.monotonic() < deadline and context.pages:
        context.pages[0].wait_for_timeout(50)  # Playwright delivers its events meanwhile


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """new_page(locale=..., **context_options) -> a page in a fresh context (a phone)."""
    contexts: list[tuple[BrowserContext, set[Any]]] = []

    def make(locale: str = DEFAULT_LOCALE, **options: Any) -> Page:
        options.setdefault("viewport", PHONE_VIEWPORT)
        context = browser.new_context(locale=locale, **options)
        context.set_default_timeout(10_000)
        in_flight: set[Any] = set()
        context.on("request", lambda request: in_flight.add(request))
        context.on("requestfinished", lambda request: in_flight.discard(request))
        context.on("requestfailed", lambda request: in_flight.discard(request))
        contexts.append((context, in_flight))
        return context.new_page()

    yield make
    for context, in_flight in contexts:
        _await_requests(context, in_flight)
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page], browser_locale: str) -> Page:
    """A page in its own context: a phone-sized viewport, in ``browser_locale``."""
    return new_page(locale=browser_locale)
