"""HR invites the Ventes department in one step, in French, on a desktop and a tablet."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from ambassade.core.roles import Role
from ambassade.programs import actions
from ambassade.programs.models import Invitation
from ambassade.programs.tests.conftest import CHARTER_EN, CHARTER_FR, as_actor, kind
from ambassade.programs.tests.test_browser_invitation import expect, sign_in
from ambassade.testing.factories import DepartmentFactory, OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize("width", [1440, 1024])
def test_hr_sees_the_count_then_invites_exactly_the_ventes_department(
    live_server: LiveServer, new_page: Any, width: int
) -> None:
    organisation: Any = OrganisationFactory(name="Verdier", slug=f"verdier-audience-{width}")
    ventes = DepartmentFactory(organisation=organisation, name="Ventes")
    finance = DepartmentFactory(organisation=organisation, name="Finance")
    hr: Any = PersonFactory(
        organisation=organisation, email=f"rh{width}@example.com", roles=[Role.HR], with_user=True
    )
    marketer: Any = PersonFactory(organisation=organisation, roles=[Role.MARKETING])
    sellers = [PersonFactory(organisation=organisation, department=ventes) for _ in range(5)]
    for _ in range(3):
        PersonFactory(organisation=organisation, department=finance)
    actor = as_actor(marketer)
    program = actions.create_program(actor, name="Marque employeur", objectives=["employer_brand"])
    actions.publish_charter(
        actor, actions.save_charter_draft(actor, program, body_fr=CHARTER_FR, body_en=CHARTER_EN)
    )

    page = new_page(locale="fr-FR", viewport={"width": width, "height": 900})
    sign_in(page, live_server, hr.email, f"/console/programs/{program.pk}/invitations/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_label("Toute une audience (service, site, segment…)").check()
    audience = page.locator("fieldset.audience")
    audience.get_by_label("Ventes", exact=True).check()
    page.get_by_role("button", name="Compter les personnes").click()

    expect(page.get_by_role("status").filter(has_text="correspondent")).to_have_text(
        "5 personnes correspondent."
    )
    assert not Invitation.objects.exists()
    # The choices survive the count: the same audience is sent.
    expect(page.locator("fieldset.audience").get_by_label("Ventes", exact=True)).to_be_checked()
    page.locator("select[name=ambassador_type]").select_option(
        value=str(kind(organisation, "supporter").pk)
    )
    page.get_by_role("button", name="Envoyer les invitations").click()

    expect(page.locator(".flash")).to_contain_text("5")
    invited = set(Invitation.objects.filter(program=program).values_list("person_id", flat=True))
    assert invited == {person.pk for person in sellers}
    # Nothing of the page hides beyond the window's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert re.search(r"/invitations/$", page.url)
