"""Compliance in a real browser, in French, at 1440 and 1024 pixels: a banned term in an item's
text blocks its publication; a change to a published item of a regulated program waits
for review while the approved version stays live, and a reviewer approves it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from ambassade.content import actions
from ambassade.content.models import ContentItem, GlossaryTerm, ProgramContentPolicy, Status
from ambassade.content.tests.conftest import as_actor
from ambassade.core.roles import Role
from ambassade.programs.models import Program
from ambassade.testing.browser import expect
from ambassade.testing.factories import OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "correct horse battery staple"


def signed_in(
    new_page: Any,
    console_screen: dict[str, int],
    live_server: LiveServer,
    email: str,
    next_path: str,
) -> Page:
    page: Page = new_page(locale="fr-FR", viewport=console_screen)
    page.set_default_timeout(30_000)  # two cores shared by many test runs
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    return page


def test_a_banned_term_blocks_publication_and_a_change_is_reviewed_again(
    live_server: LiveServer, new_page: Any, console_screen: dict[str, int]
) -> None:
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-compliance")
    author: Any = PersonFactory(
        organisation=organisation, email="marc@example.com", roles=[Role.MARKETING], with_user=True
    )
    reviewer: Any = PersonFactory(
        organisation=organisation, email="rev@example.com", roles=[Role.MARKETING], with_user=True
    )
    GlossaryTerm.objects.create(
        organisation=organisation, kind="banned", text="gratuit", reason="Aucune promesse"
    )
    Program.objects.create(organisation=organisation, name="Actualités")
    regulated = Program.objects.create(organisation=organisation, name="Produits bancaires")
    ProgramContentPolicy.objects.create(
        program=regulated, reviewer_roles=["marketing"], regulated=True
    )
    item = actions.create_item(
        as_actor(author), program_id=regulated.pk, kind="text", title="Taux fixe", body="2 %"
    )
    actions.submit(as_actor(author), item)
    actions.approve(as_actor(reviewer), item)
    assert ContentItem.objects.get(pk=item.pk).status == Status.PUBLISHED

    # A banned term in the body of a new item: publication refused, naming term and field.
    page = signed_in(new_page, console_screen, live_server, author.email, "/console/content/new")
    page.locator("#id_kind").select_option("text")
    page.locator("#id_program").select_option(label="Actualités")
    page.locator("#id_title").fill("Nouvelle offre")
    page.locator("#id_body").fill("Un compte GRATUIT pour tous")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_role("button", name="Publier sans relecture").click()
    expect(page.locator(".flash")).to_contain_text("« GRATUIT » dans le texte : Aucune promesse")
    assert ContentItem.objects.get(title="Nouvelle offre").status == Status.DRAFT

    # Editing the published item: the change waits, the approved text stays live.
    page.goto(f"{live_server.url}/console/content/{item.pk}/edit")
    page.locator("#id_title").fill("Taux fixe garanti")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("la modification attend sa relecture")
    expect(page.get_by_role("heading", level=1)).to_have_text("Taux fixe")
    expect(page.get_by_role("heading", name="Une modification attend sa relecture")).to_be_visible()
    # Its author may not approve it (four-eyes review): no button, a sentence why.
    expect(page.get_by_role("button", name="Approuver")).to_have_count(0)
    expect(page.locator("#four-eyes")).to_be_visible()

    other = signed_in(
        new_page, console_screen, live_server, reviewer.email, "/console/content/review/"
    )
    expect(other.locator("main")).to_contain_text("modification d’un contenu publié")
    other.get_by_role("link", name="Taux fixe").click()
    other.get_by_role("button", name="Approuver").click()
    expect(other.locator(".flash")).to_contain_text("Approuvé et publié.")
    expect(other.get_by_role("heading", level=1)).to_have_text("Taux fixe garanti")
    assert ContentItem.objects.get(pk=item.pk).versions.count() == 2
