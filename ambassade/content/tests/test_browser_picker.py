"""The compliance-reviewer picker filters its checkboxes as one types (our own app.js)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from ambassade.content.models import ProgramContentPolicy
from ambassade.core.roles import Role
from ambassade.programs.models import Program
from ambassade.programs.tests.test_browser_invitation import expect, sign_in
from ambassade.testing.factories import OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_typing_a_name_narrows_the_list_and_the_ticked_reviewer_is_saved(
    live_server: LiveServer, new_page: Any
) -> None:
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-picker")
    marketer: Any = PersonFactory(
        organisation=organisation, email="marc@example.com", roles=[Role.MARKETING], with_user=True
    )
    for n in range(40):
        PersonFactory(organisation=organisation, roles=[Role.COACH], last_name=f"Relecteur{n:02}")
    helene: Any = PersonFactory(
        organisation=organisation, roles=[Role.COACH], first_name="Hélène", last_name="Benali"
    )
    program = Program.objects.create(organisation=organisation, name="Marque employeur")

    page = new_page(locale="fr-FR", viewport={"width": 1024, "height": 900})
    sign_in(page, live_server, marketer.email, f"/console/content/setup/programs/{program.pk}/")
    picker = page.locator("fieldset[data-searchable]")
    picker.get_by_label("Tapez pour filtrer la liste").fill("helene")
    visible = picker.locator("input[name=compliance_reviewers]:visible")
    expect(visible).to_have_count(1)
    picker.get_by_label("Hélène Benali").check()
    page.locator("input[name=reviewer_roles][value=marketing]").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flash")).to_be_visible()
    policy = ProgramContentPolicy.objects.get(program=program)
    assert list(policy.compliance_reviewers.all()) == [helene]
