"""From HR's invitation to the employee's acceptance, in a real browser, in French.

Text is matched with English-or-French patterns and fields by name, so the test passes
before and after the French catalogue is filled.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail

from ambassade.core.roles import Role
from ambassade.programs import actions
from ambassade.programs.models import Enrolment, Invitation
from ambassade.programs.tests.conftest import CHARTER_EN, CHARTER_FR, as_actor, kind
from ambassade.testing.browser import expect
from ambassade.testing.browser import sign_in as password_sign_in
from ambassade.testing.factories import OrganisationFactory, PersonFactory
from ambassade.testing.phone import check_layout

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "correct horse battery staple"


def sign_in(page: Page, live_server: LiveServer, email: str, next_path: str = "") -> None:
    password_sign_in(page, live_server.url, email, PASSWORD, next_path)


@pytest.mark.parametrize("browser_locale", ["fr-FR"])
def test_hr_invites_and_the_employee_accepts_the_charter(
    live_server: LiveServer, page: Page, new_page: Any, settings: Any
) -> None:
    # The invitation mail is sent at once, into Django's test outbox.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-browser")
    hr: Any = PersonFactory(
        organisation=organisation, email="rh@example.com", roles=[Role.HR], with_user=True
    )
    marketer: Any = PersonFactory(
        organisation=organisation, email="marc@example.com", roles=[Role.MARKETING]
    )
    employee: Any = PersonFactory(
        organisation=organisation, email="nora@example.com", first_name="Nora", with_user=True
    )
    actor = as_actor(marketer)
    program = actions.create_program(actor, name="Marque employeur", objectives=["employer_brand"])
    actions.publish_charter(
        actor, actions.save_charter_draft(actor, program, body_fr=CHARTER_FR, body_en=CHARTER_EN)
    )

    # HR invites through the console page.
    sign_in(page, live_server, hr.email, f"/console/programs/{program.pk}/invitations/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("textarea[name=emails]").fill(employee.email)
    supporter = kind(organisation, "supporter")
    page.locator("select[name=ambassador_type]").select_option(value=str(supporter.pk))
    page.locator("form:has(textarea[name=emails]) button.button-primary").click()
    expect(page.locator(".flash")).to_contain_text("1")
    invitation = Invitation.objects.get(person=employee)
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body).group(1)

    # The employee signs in, in their own browser, and opens the link of the mail.
    nora = new_page(locale="fr-FR")
    sign_in(nora, live_server, employee.email)
    nora.goto(f"{live_server.url}{link}")
    expect(nora).to_have_url(re.compile(rf"/me/invitations/{invitation.pk}/$"))
    expect(nora.locator("html")).to_have_attribute("lang", "fr")
    expect(nora.get_by_text("Chacun reste propriétaire de ses comptes.")).to_be_visible()

    # Accepting without ticking is refused, next to the box.
    accept = nora.get_by_role("button", name=re.compile("Accept|Accepter", re.I))
    accept.click()
    expect(nora.locator(".field-error")).to_be_visible()
    assert not Enrolment.objects.exists()

    nora.locator("input[name=accept_charter]").check()
    nora.get_by_role("button", name=re.compile("Accept|Accepter", re.I)).click()
    expect(nora).to_have_url(re.compile(r"/me/programs/$"))
    expect(nora.get_by_role("heading", name="Marque employeur")).to_be_visible()
    expect(
        nora.get_by_role("link", name=re.compile("Leave the program|Quitter le programme", re.I))
    ).to_be_visible()
    enrolment = Enrolment.objects.get(person=employee)
    assert enrolment.status == "active"
    assert enrolment.acceptances.get().user_agent_family in {"Chrome", "Chromium"}


@pytest.mark.parametrize("browser_locale", ["fr-FR"])
def test_a_newcomer_follows_the_one_mail_to_a_password_the_charter_and_acceptance(
    live_server: LiveServer, page: Page, new_page: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-newcomer")
    hr: Any = PersonFactory(
        organisation=organisation, email="rh@example.com", roles=[Role.HR], with_user=True
    )
    marketer: Any = PersonFactory(
        organisation=organisation, email="marc@example.com", roles=[Role.MARKETING]
    )
    newcomer: Any = PersonFactory(
        organisation=organisation, email="zoe@example.com", first_name="Zoé"
    )
    actor = as_actor(marketer)
    program = actions.create_program(actor, name="Marque employeur", objectives=["employer_brand"])
    actions.publish_charter(
        actor, actions.save_charter_draft(actor, program, body_fr=CHARTER_FR, body_en=CHARTER_EN)
    )

    sign_in(page, live_server, hr.email, f"/console/programs/{program.pk}/invitations/")
    page.locator("textarea[name=emails]").fill(newcomer.email)
    supporter = kind(organisation, "supporter")
    page.locator("select[name=ambassador_type]").select_option(value=str(supporter.pk))
    page.locator("form:has(textarea[name=emails]) button.button-primary").click()
    expect(page.locator(".flash")).to_contain_text("1")
    [message] = mail.outbox  # one mail, nothing else to send
    link = re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body).group(1)

    # On a 360 px phone, in French: the link, a password, the charter, the answer.
    zoe = new_page(locale="fr-FR", viewport={"width": 360, "height": 740})
    zoe.goto(f"{live_server.url}{link}")
    expect(zoe.locator("html")).to_have_attribute("lang", "fr")
    expect(zoe.get_by_text("Choisissez d’abord votre mot de passe", exact=False)).to_be_visible()
    # Nothing wider than the screen, and a one-line header (the name, the language menu).
    check_layout(zoe, 360, 740, "choosing a password", signed_in=False)
    zoe.locator("input[name=new_password1]").fill("123")
    zoe.locator("input[name=new_password2]").fill("123")
    zoe.get_by_role("button", name=re.compile("Choisir ce mot de passe")).click()
    expect(zoe.locator(".field-error").first).to_be_visible()
    assert newcomer.__class__.objects.get(pk=newcomer.pk).user_id is None

    zoe.locator("input[name=new_password1]").fill(PASSWORD)
    zoe.locator("input[name=new_password2]").fill(PASSWORD)
    zoe.get_by_role("button", name=re.compile("Choisir ce mot de passe")).click()
    invitation = Invitation.objects.get(person=newcomer)
    expect(zoe).to_have_url(re.compile(rf"/me/invitations/{invitation.pk}/$"))
    expect(zoe.get_by_text("Chacun reste propriétaire de ses comptes.")).to_be_visible()
    assert zoe.evaluate("document.documentElement.scrollWidth") <= 360
    zoe.locator("input[name=accept_charter]").check()
    zoe.get_by_role("button", name=re.compile("Accepter", re.I)).click()
    expect(zoe).to_have_url(re.compile(r"/me/programs/$"))
    assert Enrolment.objects.get(person=newcomer).status == "active"

    # Home: the program, then the next step.
    zoe.goto(f"{live_server.url}/")
    expect(zoe).to_have_url(re.compile(r"/me/home/$"))
    expect(zoe.locator(".next-step")).to_contain_text("Connecter un réseau")
    assert zoe.evaluate("document.documentElement.scrollWidth") <= 360

    # The link is spent: a visitor is told so and may ask for a new one.
    stranger = new_page(locale="fr-FR", viewport={"width": 360, "height": 740})
    stranger.goto(f"{live_server.url}{link}")
    expect(stranger.get_by_text("Vous avez déjà répondu à cette invitation.")).to_be_visible()
