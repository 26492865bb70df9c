"""The issue's "Done when" with the demo data, in a real browser on a phone-sized screen.

A marketer sees each target of a program with its progress, the trend, applies filters
and downloads the tables; an ambassador sees their own figures.
"""

from __future__ import annotations

import re
from datetime import UTC
from io import BytesIO
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ambassade.core import demo
from ambassade.core.demo import DEMO_PASSWORD
from ambassade.programs.models import KpiTarget, Program
from ambassade.testing.browser import expect
from ambassade.testing.browser import sign_in as password_sign_in

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    password_sign_in(page, live_server.url, email, DEMO_PASSWORD)


@pytest.fixture
def demo_data() -> Program:
    today = timezone.now().astimezone(UTC).date()
    demo.build(people=150, days=90, seed=7, today=today, progress=lambda _: None)
    program = Program.objects.get(name="Marque employeur Verdier")
    assert KpiTarget.objects.filter(program=program).exists()
    return program


def test_a_marketer_sees_each_target_with_trend_and_filters(
    live_server: LiveServer, page: Page, new_page: Any, demo_data: Program
) -> None:
    program = demo_data
    sign_in(page, live_server, "marketing@verdier.example")
    page.goto(f"{live_server.url}/console/analytics/")
    page.get_by_role("link", name=program.name).click()
    expect(page.get_by_role("heading", name=program.name, level=1)).to_be_visible()
    targets = program.targets.count()
    expect(page.locator("progress")).to_have_count(targets)
    expect(page.locator("svg title", has_text="Human clicks over time")).to_have_count(1)
    expect(page.get_by_role("heading", name="This period", exact=True)).to_be_visible()

    # A department filter: figures for a large enough group, or withheld for a small one.
    department = page.locator("#filter-department option").nth(1)
    page.locator("#filter-department").select_option(department.get_attribute("value"))
    page.locator("#filter-days").select_option("365")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"department=\d+"))
    shown = page.get_by_role("heading", name="This period", exact=True)
    withheld = page.get_by_text("Figures withheld to protect individuals.")
    expect(shown.or_(withheld)).to_be_visible()

    page.get_by_role("link", name="People", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"/people/\?.*department=\d+"))
    page.goto(f"{live_server.url}/console/analytics/programs/{program.pk}/people/?days=365")
    expect(page.get_by_role("heading", name="By department")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download every table of this page (XLSX)").click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        book = load_workbook(BytesIO(handle.read()), read_only=True)
    # the filters and period first, then departments, sites, types, individuals
    assert len(book.worksheets) == 5

    ambassador = new_page()
    sign_in(ambassador, live_server, "ambassadeur@verdier.example")
    ambassador.goto(f"{live_server.url}/me/figures/?days=90")
    expect(ambassador.get_by_role("heading", name="My figures", level=1)).to_be_visible()
    expect(ambassador.get_by_role("heading", name="Human clicks")).to_be_visible()
