"""The console in French on a desktop (1440 px) and a tablet (1024 px), with the demo data.

Nothing is wider than the window except inside a table's scroll box, the menu folds
away behind its button, wide tables keep their first column, no share of a population
on the dashboards is above 100 %, and the audit log reads as sentences in French.
"""

from __future__ import annotations

import re
from datetime import UTC
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from ambassade.core import demo
from ambassade.core.demo import DEMO_PASSWORD
from ambassade.programs.models import Program
from ambassade.testing.browser import expect
from ambassade.testing.browser import sign_in as password_sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PAGES = [
    "/console/",
    "/console/people/",
    "/console/programs/",
    "/console/content/",
    "/console/content/review/",
    "/console/sharing/",
    "/console/analytics/",
]
# An action code as recorded ("sharing.resumed"), which the log must never show.
CODE = re.compile(r"\b(?:[a-z]+_)?[a-z]+\.[a-z]+_?[a-z_]*\b(?![.@])")
ADDRESS = re.compile(r"\S+@\S+|https?://\S+")
# The page's width beyond the window: elements inside a scroll box do not count.
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    password_sign_in(page, live_server.url, email, DEMO_PASSWORD)
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


@pytest.mark.parametrize("width", [1440, 1024])
def test_the_console_fits_the_window_in_french(
    live_server: LiveServer, new_page: Any, width: int
) -> None:
    today = timezone.now().astimezone(UTC).date()
    demo.build(people=100, days=60, seed=5, today=today, progress=lambda _: None)
    programs = list(Program.objects.order_by("name").values_list("pk", flat=True))
    page = new_page(locale="fr-FR", viewport={"width": width, "height": 800})
    page.set_default_navigation_timeout(30_000)  # the demo's dashboards on a busy machine
    sign_in(page, live_server, "marketing@verdier.example")
    dashboards = [f"/console/analytics/programs/{pk}/" for pk in programs]
    for path in [*PAGES, *dashboards, f"/console/analytics/programs/{programs[0]}/people/"]:
        page.goto(f"{live_server.url}{path}")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.evaluate(OVERFLOW) <= 0, (width, path)

    # Wide tables: the first column stays in view, the scroll box fits the window.
    page.goto(f"{live_server.url}/console/analytics/programs/{programs[0]}/people/?days=365")
    box = page.locator(".table-scroll").first
    first_cell = box.locator("tr > :first-child").first
    assert first_cell.evaluate("cell => getComputedStyle(cell).position") == "sticky"
    assert box.evaluate("box => box.getBoundingClientRect().height") <= 800

    # The menu: beside the page on a desktop, above it on a tablet; folds away either way.
    menu = page.locator("#console-menu")
    main = page.locator("main")
    menu_box, main_box = menu.bounding_box(), main.bounding_box()
    assert menu_box is not None and main_box is not None
    if width > 1100:
        assert menu_box["x"] + menu_box["width"] <= main_box["x"]
    else:
        assert menu_box["y"] + menu_box["height"] <= main_box["y"]
    toggle = page.get_by_role("button", name="Masquer le menu")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    toggle.click()
    shown = page.get_by_role("button", name="Afficher le menu")
    expect(shown).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    page.reload()  # remembered on this device
    expect(menu).to_be_hidden()
    shown.click()
    expect(menu).to_be_visible()

    # The ratios of the dashboards, as shown.
    rates = []
    for path in dashboards:
        page.goto(f"{live_server.url}{path}?days=90")
        for value in page.locator("[data-bounded-rate]").all():
            rates.append(Decimal(value.get_attribute("data-bounded-rate") or "0"))
    assert rates and all(rate <= 100 for rate in rates), rates

    # Marketing pauses and resumes the posts; the admin reads it in the audit log as
    # sentences in French, with no code or dictionary in what happened.
    page.goto(f"{live_server.url}/console/sharing/")
    page.get_by_role("button", name="Suspendre toutes les publications").click()
    page.get_by_role("button", name="Reprendre les publications").click()
    admin = new_page(locale="fr-FR", viewport={"width": width, "height": 800})
    sign_in(admin, live_server, "admin@verdier.example")
    admin.goto(f"{live_server.url}/console/audit/")
    happened = admin.locator("tbody tr td:nth-child(3)")
    expect(happened.first).to_have_text("Marc Lemoine a repris les publications")
    expect(happened.nth(1)).to_have_text("Marc Lemoine a suspendu les publications")
    for text in happened.all_inner_texts():
        words = ADDRESS.sub("", text)  # e-mail and web addresses have dots of their own
        assert "{'" not in words and not CODE.search(words), text
