"""An alumni ambassador relays the company's news on a 360-pixel phone, in French
(docs/decisions/0039-alumni-ambassadors.md).

Inès left Verdier and chose to stay an alumni ambassador. HR invites her, as an alumni
ambassador, to the employer-brand program, open to alumni; she accepts the program's
alumni charter (not the employees' one). On her phone she signs in, connects Bluesky (a
real local PDS), opens her feed (only the item marked for alumni), shares it in her own
words; the record on the PDS carries the alumni disclosure, as the preview showed it.

On every page: nothing wider than the screen, the bottom bar inside it and linking only
to pages she opens; no English string of our catalogue; no console error.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core.roles import Role
from ambassade.programs import actions
from ambassade.programs.models import Enrolment
from ambassade.programs.tests.conftest import CHARTER_EN, CHARTER_FR, as_actor, kind
from ambassade.sharing.models import ShareTarget, SharingSettings, TargetStatus
from ambassade.sharing.tests.pds import post_of
from ambassade.testing.browser import expect, sign_in
from ambassade.testing.factories import OrganisationFactory, PersonFactory
from ambassade.testing.french import FrenchReader
from ambassade.testing.phone import bottom_bar, check_layout

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
WIDTH, HEIGHT = 360, 740
PASSWORD = "correct horse battery staple"
ALUMNI_TITLE = "Portes ouvertes de l'usine de Lyon pour les anciens"
OWN_WORDS = "J'ai passé six belles années chez Verdier : leurs portes ouvertes valent le détour"
DISCLOSURE = "Ancien·ne de Verdier"


def _organisation(tmp_path: Any) -> tuple[Any, Any, Any]:
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-alumni")
    SharingSettings.objects.create(
        organisation=organisation, quiet_start=None, quiet_end=None, stagger_minutes=0
    )
    hr: Any = PersonFactory(organisation=organisation, email="rh@example.com", roles=[Role.HR])
    marketer: Any = PersonFactory(
        organisation=organisation, email="marc@example.com", roles=[Role.MARKETING]
    )
    ines: Any = PersonFactory(
        organisation=organisation,
        email="ines@example.com",
        first_name="Inès",
        languages=["fr"],
        employment_status="left",
        end_date=date.today() - timedelta(days=120),
        alumni=True,
        alumni_since=timezone.now() - timedelta(days=110),
        with_user=True,
    )
    ines.user.set_password(PASSWORD)
    ines.user.save()
    writer = as_actor(marketer)
    program = actions.create_program(
        writer, name="Marque employeur", objectives=["employer_brand"], open_to_alumni=True
    )
    actions.publish_charter(
        writer, actions.save_charter_draft(writer, program, body_fr=CHARTER_FR, body_en=CHARTER_EN)
    )
    actions.publish_charter(
        writer,
        actions.save_charter_draft(
            writer,
            program,
            body_fr="## Charte des anciens\n\nJe partage en mon nom, comme ancienne ou ancien.",
            body_en="## Alumni charter\n\nI share in my own name, as a former employee.",
            ambassador_kind="alumni",
        ),
    )
    for title, for_alumni in [(ALUMNI_TITLE, True), ("Résultats du trimestre", False)]:
        ContentItem.objects.create(
            organisation=organisation,
            program=program,
            kind=Kind.ARTICLE,
            status=Status.PUBLISHED,
            title=title,
            description="Visite guidée le premier samedi du mois.",
            url="https://verdier.example/news/lyon",
            language="fr",
            for_alumni=for_alumni,
            published_at=timezone.now() - timedelta(hours=1),
        )
    # HR invites her as an alumni ambassador; she accepts the alumni charter.
    [invitation], _ = actions.invite(
        as_actor(hr), program, [ines], ambassador_type=kind(organisation, "alumni")
    )
    enrolment = actions.accept_invitation(as_actor(ines), invitation, charter_accepted=True)
    assert enrolment.accepted_version.ambassador_kind == "alumni"
    return ines, program, enrolment


def test_an_alumni_shares_the_alumni_news_on_a_phone_with_the_alumni_disclosure(
    live_server: LiveServer, new_page: Any, bluesky_pds: dict, settings: Any, tmp_path: Any
) -> None:
    pds = bluesky_pds
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    port = pds["pds_url"].rsplit(":", 1)[1].split("/")[0]
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}", f"localhost:{port}"]
    settings.MEDIA_ROOT = tmp_path
    ines, _program, enrolment = _organisation(tmp_path)
    reader = FrenchReader()
    problems: set[str] = set()
    errors: list[str] = []
    phone = new_page(locale="fr-FR", viewport={"width": WIDTH, "height": HEIGHT})
    phone.on("console", lambda note: errors.append(note.text) if note.type == "error" else None)
    phone.on("pageerror", lambda error: errors.append(str(error)))

    def look(where: str) -> None:
        phone.wait_for_load_state()
        assert phone.evaluate("document.documentElement.lang") == "fr", where
        check_layout(phone, WIDTH, HEIGHT, where, signed_in=True)
        links = bottom_bar(phone)
        assert len(links) == 5, where
        problems.update(reader.problems_in_page(where, phone.content()))

    sign_in(phone, live_server.url, ines.email, PASSWORD)
    expect(phone).to_have_url(re.compile(r"/me/home/$"))
    look("home")
    # Every link of the bottom bar opens.
    for href in phone.locator(".bottombar a").evaluate_all("links => links.map(a => a.href)"):
        assert httpx.get(href, cookies=_cookies(phone), timeout=10).status_code == 200, href

    phone.goto(f"{live_server.url}/me/programs/")
    look("my programs")
    expect(phone.get_by_text("Marque employeur").first).to_be_visible()

    phone.goto(f"{live_server.url}/me/accounts/")
    look("my accounts")
    phone.get_by_role("link", name="Connecter Bluesky").click()
    look("connecting Bluesky")
    phone.locator("input[name=handle]").fill(pds["handle"])
    phone.locator("input[name=app_password]").fill(pds["app_password"])
    phone.locator("input[name=pds_url]").fill(pds["pds_url"])
    phone.get_by_role("button", name="Connecter", exact=True).click()
    expect(phone.locator(".flash")).to_contain_text(pds["handle"])

    phone.goto(f"{live_server.url}/feed/")
    look("the alumni feed")
    cards = phone.locator("article.feed-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(ALUMNI_TITLE)
    cards.first.get_by_role("link", name="Partager", exact=True).click()
    look("the composer")
    phone.get_by_label("Votre message").fill(OWN_WORDS)
    preview = phone.locator("[data-network=bluesky]")
    expect(preview.locator("[data-post-text]")).to_contain_text(DISCLOSURE)
    shown_text = preview.locator("[data-post-text]").inner_text()
    shown_link = preview.locator("[data-card-link]").inner_text()
    phone.get_by_role("button", name="Partager maintenant").click()
    expect(phone).to_have_url(re.compile(r"/me/posts/"))
    expect(phone.locator("[data-status=published]")).to_be_visible()
    look("my posts")

    target = ShareTarget.objects.get(share__person=ines)
    assert target.status == TargetStatus.PUBLISHED, target.failure_reason
    record = post_of(pds, target.remote_id)
    assert record["text"].startswith(OWN_WORDS)
    assert DISCLOSURE in record["text"]
    from ambassade.sharing.publishing import short_url

    assert record["text"] == shown_text.replace(shown_link, short_url(target.tracked_link))

    phone.goto(f"{live_server.url}/me/figures/")
    look("my figures")
    phone.goto(f"{live_server.url}/me/alumni/directory/")
    look("the alumni directory")
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ACTIVE
    assert not problems, "\n".join(sorted(problems))
    assert errors == []


def _cookies(page: Any) -> dict[str, str]:
    return {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
