"""The issue's "Done when", in a real browser and in French: HR publishes a module with a
quiz required for supporters (console, 1440 px); a supporter (phone, 360 px) is refused a
share with the reason and a link, follows it, passes the quiz, and shares."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core.roles import Role
from ambassade.programs.actions import ensure_default_types
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing.models import Share, SharingSettings
from ambassade.sharing.tests.test_browser_bluesky import sign_in
from ambassade.testing.browser import expect
from ambassade.testing.factories import OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
REFUSAL = "Validez le module de formation « Nos règles de publication » avant de partager."


def test_hr_requires_a_module_and_a_supporter_passes_it_then_shares(
    live_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-learning")
    SharingSettings.objects.create(organisation=organisation, quiet_start=None, quiet_end=None)
    ensure_default_types(organisation)
    PersonFactory(
        organisation=organisation, email="rh@example.com", roles=[Role.HR], with_user=True
    )
    supporter: Any = PersonFactory(
        organisation=organisation, email="amb@example.com", roles=[Role.AMBASSADOR], with_user=True
    )
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    kind = AmbassadorType.objects.get(organisation=organisation, kind="supporter")
    Enrolment.objects.create(program=program, person=supporter, ambassador_type=kind)
    item = ContentItem.objects.create(
        organisation=organisation,
        program=program,
        kind=Kind.ARTICLE,
        status=Status.PUBLISHED,
        title="Nouvelle usine à Lyon",
        url="https://verdier.example/news/lyon",
        language="fr",
        published_at=timezone.now() - timedelta(hours=1),
    )

    console = new_page(locale="fr-FR", viewport={"width": 1440, "height": 900})
    sign_in(console, live_server, "rh@example.com")
    console.goto(f"{live_server.url}/console/learning/new")
    console.get_by_label("Titre en français").fill("Nos règles de publication")
    console.get_by_label("Titre en anglais").fill("Our publishing rules")
    console.get_by_label("Leçon en français").fill("## Vos comptes\n\nIls restent **les vôtres**.")
    console.get_by_label("Leçon en anglais").fill("## Your accounts\n\nThey stay **yours**.")
    console.get_by_label("Seuil de réussite (%)").fill("100")
    console.get_by_role("button", name="Créer le module").click()
    expect(console.get_by_text("Module créé.")).to_be_visible()
    console.get_by_role("link", name="Ajouter une question").click()
    console.get_by_label("Question en français").fill("Qui possède votre compte LinkedIn ?")
    console.get_by_label("Question en anglais").fill("Who owns your LinkedIn account?")
    console.get_by_label("Réponse 1 en français").fill("Vous")
    console.get_by_label("Réponse 1 en anglais").fill("You")
    console.get_by_label("La réponse 1 est bonne").check()
    console.get_by_label("Réponse 2 en français").fill("L'entreprise")
    console.get_by_label("Réponse 2 en anglais").fill("The company")
    console.get_by_label("Commentaire sur la réponse 2, en français").fill(
        "Non : vos comptes restent les vôtres."
    )
    console.get_by_role("button", name="Enregistrer la question").click()
    expect(console.get_by_text("Question enregistrée.")).to_be_visible()
    console.get_by_label("Type d’ambassadeur").select_option("supporter")
    console.get_by_role("button", name="Ajouter", exact=True).click()
    expect(console.get_by_text("Enregistré : qui suit ce module.")).to_be_visible()
    console.get_by_role("button", name="Publier", exact=True).click()
    expect(console.get_by_text("La version 1 est publiée.")).to_be_visible()

    phone = new_page(locale="fr-FR", viewport={"width": 360, "height": 740})
    sign_in(phone, live_server, "amb@example.com")
    phone.goto(f"{live_server.url}/share/{item.pk}/")
    expect(phone.get_by_role("alert").filter(has_text=REFUSAL)).to_be_visible()
    phone.get_by_role("link", name="Ouvrir la formation « Nos règles de publication »").click()
    expect(phone.get_by_role("heading", name="Nos règles de publication")).to_be_visible()
    expect(phone.get_by_text("Ils restent les vôtres.")).to_be_visible()
    phone.get_by_role("button", name="Passer le quiz").click()
    phone.get_by_label("L'entreprise").check()
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    expect(phone.get_by_role("heading", name="Non validé")).to_be_visible()
    expect(phone.get_by_text("Non : vos comptes restent les vôtres.")).to_be_visible()
    phone.get_by_role("button", name="Réessayer").click()
    phone.get_by_label("Vous", exact=True).check()
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    expect(phone.get_by_role("heading", name="Validé", exact=True)).to_be_visible()

    phone.goto(f"{live_server.url}/share/{item.pk}/")
    expect(phone.get_by_text(REFUSAL)).to_have_count(0)
    phone.get_by_label("Votre message").fill(
        "J'ai visité le chantier de Lyon la semaine dernière : impressionnant, et on embauche !"
    )
    phone.get_by_label("WhatsApp").check()
    phone.get_by_role("button", name="Partager maintenant").click()
    expect(phone.get_by_text(re.compile("Merci"))).to_be_visible()
    assert Share.objects.filter(person=supporter, item=item).count() == 1
