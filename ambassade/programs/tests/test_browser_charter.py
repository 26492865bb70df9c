"""HR writes a charter in Markdown with its live preview, publishes it, sees who must
accept it again and reminds them: in a real browser, in French, at 1440 and 1024 pixels."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail

from ambassade.core.models import AuditEvent
from ambassade.core.roles import Role
from ambassade.programs import actions
from ambassade.programs.models import CharterVersion, Enrolment
from ambassade.programs.tests.conftest import CHARTER_EN, CHARTER_FR, as_actor, kind
from ambassade.testing.browser import expect
from ambassade.testing.factories import OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "correct horse battery staple"


def test_hr_writes_the_charter_in_markdown_and_reminds_who_must_reaccept(
    live_server: LiveServer, new_page: Any, console_screen: dict[str, int], settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-charter")
    hr: Any = PersonFactory(
        organisation=organisation, email="rh@example.com", roles=[Role.HR], with_user=True
    )
    actor = as_actor(hr)  # HR runs the employer-brand programs: it creates this one
    program = actions.create_program(actor, name="Marque employeur", objectives=["employer_brand"])
    actions.publish_charter(
        actor, actions.save_charter_draft(actor, program, body_fr=CHARTER_FR, body_en=CHARTER_EN)
    )
    supporter = kind(organisation, "supporter")
    people: list[Any] = [
        PersonFactory(organisation=organisation, first_name=first, last_name=last, email=email)
        for first, last, email in (
            ("Hélène", "Benali", "helene@example.com"),
            ("Karim", "Roux", "karim@example.com"),
        )
    ]
    version_1 = CharterVersion.objects.get(program=program)
    for person in people:
        Enrolment.objects.create(
            program=program, person=person, ambassador_type=supporter, accepted_version=version_1
        )

    page = new_page(locale="fr-FR", viewport=console_screen)
    page.set_default_timeout(30_000)  # two cores shared by many test runs
    page.goto(f"{live_server.url}/accounts/login/?next=/console/programs/{program.pk}/charter/")
    page.locator("input[name=login]").fill(hr.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_text("Toutes les personnes inscrites ont accepté")).to_be_visible()

    # The French text, in Markdown, shown rendered while it is typed (our own script).
    french = page.locator("textarea[name=body_fr]")
    french.fill(
        "# Rôles\n\nChacun reste **propriétaire** de ses comptes.\n\n- Formation\n- Coaching"
    )
    preview = page.locator("#preview-fr")
    expect(preview.get_by_role("heading", name="Rôles")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("propriétaire")
    expect(preview.locator("li")).to_have_count(2)
    page.locator("textarea[name=body_en]").fill("# Roles\n\nYour accounts remain **yours**.")
    page.locator("textarea[name=change_summary]").fill("Une section sur la formation.")
    page.get_by_role("button", name="Enregistrer comme brouillon").click()
    expect(page.locator(".flash")).to_contain_text("Brouillon de la version 2 enregistré")
    page.get_by_role("button", name="Publier la version 2").click()
    expect(page.locator(".flash")).to_contain_text("La version 2 est publiée")
    mail.outbox.clear()

    # The charter page lists who must accept it again, by name, and reminds one of them.
    page.goto(f"{live_server.url}/console/programs/{program.pk}/charter/")
    waiting = page.locator("section", has=page.get_by_role("heading", name="Qui doit accepter"))
    expect(waiting.get_by_role("row")).to_have_count(3)
    expect(waiting).to_contain_text("Hélène Benali")
    expect(waiting).to_contain_text("Karim Roux")
    page.get_by_role("button", name="Relancer Hélène Benali").click()
    expect(page.locator(".flash")).to_contain_text("Relance envoyée à 1 personne.")
    assert [message.to for message in mail.outbox] == [["helene@example.com"]]
    expect(page.get_by_role("button", name="Relancer Hélène Benali")).to_have_count(0)
    page.get_by_role("button", name="Relancer tout le monde").click()
    expect(page.locator(".flash").first).to_contain_text(re.compile("Relance envoyée à 1 personne"))
    expect(page.locator("main")).to_contain_text("1 personne a déjà été relancée")
    assert [message.to for message in mail.outbox][1:] == [["karim@example.com"]]
    assert AuditEvent.objects.filter(action="charter.reacceptance_reminded").count() == 2
