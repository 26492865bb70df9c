"""In a real browser, in French: the preview follows the text as it is typed, the
similarity hint leaves once the text is the person's own, under the strict CSP."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, Disclosure, Kind, Status, SuggestedMessage
from ambassade.core.roles import Role
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing.models import SharingSettings, SocialAccount
from ambassade.sharing.networks.base import Credentials
from ambassade.sharing.tests.test_browser_bluesky import expect, sign_in
from ambassade.testing.factories import OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
SUGGESTION = "Verdier ouvre une nouvelle usine à Lyon : deux cents emplois créés !"
OWN = "J'ai visité le chantier de Lyon : impressionnant, et on embauche !"


@pytest.mark.parametrize("browser_locale", ["fr-FR"])
def test_the_preview_follows_the_typing_and_the_copy_hint_leaves(
    live_server: LiveServer, page: Page
) -> None:
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-composer")
    SharingSettings.objects.create(organisation=organisation, quiet_start=None, quiet_end=None)
    Disclosure.objects.create(organisation=organisation, network="x", text="#salarié")
    ambassador: Any = PersonFactory(
        organisation=organisation, email="amb@example.com", roles=[Role.AMBASSADOR], with_user=True
    )
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    kind, _ = AmbassadorType.objects.get_or_create(organisation=organisation, kind="supporter")
    Enrolment.objects.create(program=program, person=ambassador, ambassador_type=kind)
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
    suggestion = SuggestedMessage.objects.create(
        item=item, language="fr", network="any", text=SUGGESTION
    )
    account = SocialAccount(
        organisation=organisation, person=ambassador, network="x", remote_id="1", handle="@alice"
    )
    account.store(Credentials(secrets={"access_token": "t"}))
    account.save()
    problems: list[str] = []
    page.on("console", lambda note: problems.append(note.text) if note.type == "error" else None)

    sign_in(page, live_server, "amb@example.com")
    page.goto(f"{live_server.url}/share/{item.pk}/?from={suggestion.pk}")
    expect(page.locator("[data-nudge]")).to_contain_text("100")
    x_text = page.locator("[data-network=x] [data-post-text]")
    expect(x_text).to_contain_text(SUGGESTION)
    expect(x_text).to_contain_text("#salarié")
    expect(x_text).not_to_contain_text(item.url)
    expect(page.get_by_role("button", name="Prévisualiser")).to_be_hidden()  # the script runs

    page.get_by_label("Votre message").fill(OWN)
    expect(x_text).to_contain_text(OWN)
    expect(page.locator("[data-nudge]")).to_have_count(0)
    counted = 23 + len(f"{OWN}\n\n#salarié\n\n")
    expect(page.locator("[data-network=x] [data-count]")).to_have_text(
        f"{counted} caractères sur 280"
    )
    expect(page.get_by_label("Date", exact=True)).to_have_attribute("lang", "fr")
    expect(page.get_by_text("jj/mm/aaaa")).to_be_visible()
    assert problems == []
