"""Issue 20's roles in a real browser, in French at 1440 and 1024 px: internal communications
approves an item by default, marketing cannot approve its own (no button, a sentence
why), HR creates an employer-brand program and sets its targets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from ambassade.content import actions as content_actions
from ambassade.content.models import ContentItem, Status
from ambassade.core.authz import actor_for_person
from ambassade.core.roles import Role
from ambassade.programs.models import KpiTarget, Program
from ambassade.testing.browser import expect
from ambassade.testing.browser import sign_in as password_sign_in
from ambassade.testing.factories import OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "correct horse battery staple"


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    page.set_default_timeout(30_000)  # the machine runs other suites alongside
    password_sign_in(page, live_server.url, email, PASSWORD)


def _submitted(marketer: Any, program: Program, title: str) -> ContentItem:
    actor = actor_for_person(marketer)
    item = content_actions.create_item(
        actor, kind="text", program_id=program.pk, language="fr", title=title, body="Bonjour"
    )
    content_actions.submit(actor, item)
    return item


def test_comms_approves_marketing_cannot_approve_its_own_hr_runs_its_program(
    live_server: LiveServer, new_page: Any, console_screen: dict[str, int]
) -> None:
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-roles")
    people = {
        name: PersonFactory(
            organisation=organisation, email=f"{name}@example.com", roles=[role], with_user=True
        )
        for name, role in [
            ("comms", Role.INTERNAL_COMMS),
            ("marketing", Role.MARKETING),
            ("rh", Role.HR),
        ]
    }
    program = Program.objects.create(organisation=organisation, name="Notoriété")
    first = _submitted(people["marketing"], program, "Nos ateliers ouverts")
    own = _submitted(people["marketing"], program, "Portes ouvertes à Lyon")

    comms = new_page(locale="fr-FR", viewport=console_screen)
    sign_in(comms, live_server, "comms@example.com")
    comms.goto(f"{live_server.url}/console/content/review/")
    comms.get_by_role("link", name="Nos ateliers ouverts").click()
    comms.get_by_role("button", name="Approuver").click()
    expect(comms.locator(".badge").first).to_be_visible()
    first.refresh_from_db()
    assert first.status == Status.PUBLISHED

    marketing = new_page(locale="fr-FR", viewport=console_screen)
    sign_in(marketing, live_server, "marketing@example.com")
    marketing.goto(f"{live_server.url}/console/content/{own.pk}/")
    expect(marketing.get_by_text("Vous êtes l’auteur de ce contenu")).to_be_visible()
    expect(marketing.get_by_role("button", name="Approuver")).to_have_count(0)

    hr = new_page(locale="fr-FR", viewport=console_screen)
    sign_in(hr, live_server, "rh@example.com")
    hr.goto(f"{live_server.url}/console/programs/")
    hr.get_by_role("link", name="Nouveau programme").click()
    hr.get_by_label("Nom").fill("Talents Verdier")
    expect(hr.locator("input[value=employer_brand]")).to_be_checked()
    hr.get_by_role("button", name="Enregistrer").click()
    hr.get_by_role("link", name="Cibles", exact=True).click()
    hr.locator("select[name=metric]").select_option("applications")
    hr.locator("input[name=target]").fill("12")
    hr.locator("input[name=period_start]").fill("2027-01-01")
    hr.locator("input[name=period_end]").fill("2027-06-30")
    hr.get_by_role("button", name="Ajouter la cible").click()
    expect(hr.locator("table").first).to_contain_text("12")
    created = Program.objects.get(name="Talents Verdier")
    assert created.objectives == ["employer_brand"]
    assert KpiTarget.objects.filter(program=created, metric="applications").exists()
