"""The issue's "Done when", in a real browser.

An editor creates an item from a URL (a local page) with its preview, adds two
suggested messages in French and English, targets a department and submits; a reviewer
approves (and it is published); a targeted ambassador sees it in the feed while a
non-targeted one does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from ambassade.content.models import ContentItem, Status
from ambassade.core.roles import Role
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.testing.browser import expect
from ambassade.testing.browser import sign_in as password_sign_in
from ambassade.testing.factories import DepartmentFactory, OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "correct horse battery staple"


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    password_sign_in(page, live_server.url, email, PASSWORD)


def test_an_item_goes_from_a_url_to_the_targeted_feed(
    live_server: LiveServer, new_page: Any, site: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-content")
    sales = DepartmentFactory(organisation=organisation, name="Ventes")
    rnd = DepartmentFactory(organisation=organisation, name="R&D")
    PersonFactory(
        organisation=organisation,
        email="ed@example.com",
        roles=[Role.INTERNAL_COMMS],
        with_user=True,
    )
    PersonFactory(
        organisation=organisation, email="rev@example.com", roles=[Role.MARKETING], with_user=True
    )
    seller: Any = PersonFactory(
        organisation=organisation,
        email="sam@example.com",
        department=sales,
        roles=[Role.AMBASSADOR],
        with_user=True,
    )
    engineer: Any = PersonFactory(
        organisation=organisation,
        email="lea@example.com",
        department=rnd,
        roles=[Role.AMBASSADOR],
        with_user=True,
    )
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    supporter, _ = AmbassadorType.objects.get_or_create(organisation=organisation, kind="supporter")
    for person in (seller, engineer):
        Enrolment.objects.create(program=program, person=person, ambassador_type=supporter)

    editor = new_page(viewport={"width": 1280, "height": 900})
    sign_in(editor, live_server, "ed@example.com")
    editor.goto(f"{live_server.url}/console/content/new")
    editor.locator("#id_program").select_option(label="Marque employeur")
    editor.locator("#id_url").fill(f"{site.url}/article")
    editor.get_by_role("checkbox", name="Ventes", exact=True).check()
    editor.get_by_role("button", name="Save and fetch the preview now").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("Nous recrutons à Lyon")
    expect(editor.locator(".feed-card-image")).to_be_visible()

    for language, text in (("fr", "Nous recrutons à Lyon !"), ("en", "We are hiring in Lyon!")):
        editor.locator("#id_language").select_option(language)
        editor.locator("#id_network").select_option("linkedin")
        editor.locator("#id_text").fill(text)
        expect(editor.locator(".live-count")).to_contain_text("LinkedIn")
        editor.get_by_role("button", name="Save the message").click()
        expect(editor.get_by_text(text)).to_be_visible()
    editor.get_by_role("button", name="Submit for review").click()
    expect(editor.get_by_text("Submitted for review.")).to_be_visible()

    reviewer = new_page(viewport={"width": 1280, "height": 900})
    sign_in(reviewer, live_server, "rev@example.com")
    reviewer.goto(f"{live_server.url}/console/content/review/")
    reviewer.get_by_role("link", name="Nous recrutons à Lyon").click()
    reviewer.get_by_role("button", name="Approve").click()
    expect(reviewer.get_by_text("Approved and published.")).to_be_visible()
    assert ContentItem.objects.get().status == Status.PUBLISHED

    targeted = new_page()
    sign_in(targeted, live_server, "sam@example.com")
    targeted.goto(f"{live_server.url}/feed/")
    card = targeted.locator("article.feed-card")
    expect(card).to_contain_text("Nous recrutons à Lyon")
    expect(card).to_contain_text("For Ventes, in French")
    expect(card.get_by_role("link", name="Share")).to_be_visible()

    other = new_page()
    sign_in(other, live_server, "lea@example.com")
    other.goto(f"{live_server.url}/feed/")
    expect(other.get_by_role("heading", level=1)).to_have_text("Feed")
    expect(other.locator("article.feed-card")).to_have_count(0)
