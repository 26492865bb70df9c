"""A new ambassador's first day, on a 360-pixel phone in French (issue 21's "Done when").

From the invitation mail to a first share in their own words: HR invites Zoé, who has no
account; she opens the mail's button, chooses a password, reads and accepts the charter,
follows her first steps to connect Bluesky (a real local PDS) and to the feed, opens the
composer on the first card, starts from a suggestion, rewrites it until the similarity
hint leaves, reads the preview and shares now. The record the PDS then holds has the
text, link and card the preview showed, read from the preview as she saw it.

On every page: nothing wider than the screen, nothing to use off-screen, the whole bottom
bar inside the screen (ambassade/testing/phone.py); no English string of our catalogue
and no raw code (ambassade/testing/french.py); no console error or CSP violation.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from ambassade.content import images
from ambassade.content.models import ContentItem, Kind, Status, SuggestedMessage
from ambassade.core.roles import Role
from ambassade.programs import actions
from ambassade.programs.models import Enrolment
from ambassade.programs.tests.conftest import CHARTER_EN, CHARTER_FR, as_actor, kind
from ambassade.sharing import publishing
from ambassade.sharing.models import ShareTarget, SharingSettings, TargetStatus
from ambassade.sharing.tests.pds import post_of
from ambassade.testing.browser import expect
from ambassade.testing.factories import OrganisationFactory, PersonFactory
from ambassade.testing.french import FrenchReader
from ambassade.testing.phone import bottom_bar, check_layout

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
WIDTH, HEIGHT = 360, 740
PASSWORD = "correct horse battery staple"
TITLE = "Nouvelle usine à Lyon : deux cents emplois"
# Longer than a card's first lines: the preview must still show what Bluesky holds.
DESCRIPTION = (
    "Verdier ouvre à Lyon une usine de pompes à chaleur : deux cents emplois d'ici 2027, "
    "des ateliers ouverts aux écoles du quartier et une cantine qui cuisine local. "
    "Visite guidée le premier samedi de chaque mois."
)
SUGGESTION = "Verdier ouvre une nouvelle usine à Lyon : deux cents emplois créés !"
OWN_WORDS = "J'ai visité le chantier de Lyon la semaine dernière : impressionnant, on embauche 🚀"


class _Buttons(HTMLParser):
    """The links of a mail's HTML part: (class, address, words)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[list[str]] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            values = dict(attrs)
            self.found.append([values.get("class") or "", values.get("href") or "", ""])
            self._open = True

    def handle_endtag(self, tag: str) -> None:
        self._open = self._open and tag != "a"

    def handle_data(self, data: str) -> None:
        if self._open:
            self.found[-1][2] += data


def _organisation_with_a_first_item(tmp_path: Any) -> tuple[Any, Any, Any, ContentItem]:
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-first-day")
    SharingSettings.objects.create(organisation=organisation, quiet_start=None, quiet_end=None)
    hr: Any = PersonFactory(organisation=organisation, email="rh@example.com", roles=[Role.HR])
    marketer: Any = PersonFactory(
        organisation=organisation, email="marc@example.com", roles=[Role.MARKETING]
    )
    newcomer: Any = PersonFactory(
        organisation=organisation, email="zoe@example.com", first_name="Zoé", languages=["fr"]
    )
    writer = as_actor(marketer)
    program = actions.create_program(writer, name="Marque employeur", objectives=["employer_brand"])
    actions.publish_charter(
        writer, actions.save_charter_draft(writer, program, body_fr=CHARTER_FR, body_en=CHARTER_EN)
    )
    photo = io.BytesIO()
    Image.new("RGB", (1200, 630), (20, 60, 140)).save(photo, "JPEG")
    item = ContentItem.objects.create(
        organisation=organisation,
        program=program,
        kind=Kind.ARTICLE,
        status=Status.PUBLISHED,
        title=TITLE,
        description=DESCRIPTION,
        url="https://verdier.example/news/lyon",
        image=images.store(photo.getvalue(), folder="items").name,
        language="fr",
        published_at=timezone.now() - timedelta(hours=1),
    )
    SuggestedMessage.objects.create(item=item, language="fr", network="any", text=SUGGESTION)
    return hr, newcomer, program, item


def test_a_newcomer_goes_from_the_invitation_mail_to_a_first_share_on_a_phone_in_french(
    live_server: LiveServer, new_page: Any, bluesky_pds: dict, settings: Any, tmp_path: Any
) -> None:
    pds = bluesky_pds
    # The mail and the publishing run at once, in the request that asks for them.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    port = pds["pds_url"].rsplit(":", 1)[1].split("/")[0]
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}", f"localhost:{port}"]
    settings.MEDIA_ROOT = tmp_path
    settings.BASE_URL = live_server.url  # the mail's link opens as it is written
    hr, newcomer, program, item = _organisation_with_a_first_item(tmp_path)
    reader = FrenchReader()
    problems: set[str] = set()
    errors: list[str] = []

    # HR invites Zoé; one mail, in French: its button and its text carry the same link.
    supporter = kind(program.organisation, "supporter")
    actions.invite(as_actor(hr), program, [newcomer], ambassador_type=supporter)
    [message] = mail.outbox
    subject, text, html = str(message.subject), str(message.body), str(message.alternatives[0][0])
    problems |= reader.problems(f"mail {subject}", [subject, text])
    problems |= reader.problems_in_page("mail (HTML)", html)
    texts_link = re.search(rf"{re.escape(live_server.url)}/invitations/\S+/", text)
    assert texts_link is not None, text
    buttons = _Buttons()
    buttons.feed(html)
    [button] = [found for found in buttons.found if "button" in found[0]]
    assert button[1] == texts_link.group(0) and button[2].strip() == "Ouvrez votre invitation"

    zoe = new_page(locale="fr-FR", viewport={"width": WIDTH, "height": HEIGHT})
    zoe.on("console", lambda note: errors.append(note.text) if note.type == "error" else None)
    zoe.on("pageerror", lambda error: errors.append(str(error)))

    def look(where: str, *, signed_in: bool = True) -> None:
        """Every page of the journey: French, on the phone's screen, no console error."""
        zoe.wait_for_load_state()
        assert zoe.evaluate("document.documentElement.lang") == "fr", where
        check_layout(zoe, WIDTH, HEIGHT, where, signed_in=signed_in)
        assert len(bottom_bar(zoe)) == (5 if signed_in else 0), where
        problems.update(reader.problems_in_page(where, zoe.content()))

    # The link: a password first, then the charter.
    zoe.goto(button[1])
    look("choosing a password", signed_in=False)
    zoe.locator("input[name=new_password1]").fill(PASSWORD)
    zoe.locator("input[name=new_password2]").fill(PASSWORD)
    zoe.get_by_role("button", name="Choisir ce mot de passe").click()
    expect(zoe.get_by_text("Chacun reste propriétaire de ses comptes.")).to_be_visible()
    look("the charter")
    zoe.locator("input[name=accept_charter]").check()
    zoe.get_by_role("button", name=re.compile("Accepter")).click()
    expect(zoe).to_have_url(re.compile(r"/me/programs/$"))
    look("my programs")
    assert Enrolment.objects.get(person=newcomer).status == Enrolment.Status.ACTIVE

    # Home, and the first steps: connect a network (Bluesky, with an app password).
    zoe.goto(f"{live_server.url}/")
    expect(zoe).to_have_url(re.compile(r"/me/home/$"))
    look("home")
    zoe.locator(".first-steps").get_by_role("link", name="Connecter un réseau").click()
    look("my accounts")
    zoe.get_by_role("link", name="Connecter Bluesky").click()
    look("connecting Bluesky")
    zoe.locator("input[name=handle]").fill(pds["handle"])
    zoe.locator("input[name=app_password]").fill(pds["app_password"])
    zoe.locator("input[name=pds_url]").fill(pds["pds_url"])
    zoe.get_by_role("button", name="Connecter", exact=True).click()
    expect(zoe.locator(".flash")).to_contain_text(pds["handle"])
    look("Bluesky connected")

    # Back home by the bottom bar; the next first step opens the feed.
    zoe.locator(".bottombar a").first.click()
    expect(zoe).to_have_url(re.compile(r"/me/home/$"))
    look("home, one step further")
    zoe.locator(".first-steps").get_by_role("link", name="Partager un premier contenu").click()
    expect(zoe).to_have_url(re.compile(r"/feed/$"))
    look("the feed")

    # The composer, on the first card; a suggestion, then her own words.
    zoe.locator("article.feed-card").first.get_by_role("link", name="Partager", exact=True).click()
    expect(zoe).to_have_url(re.compile(rf"/share/{item.pk}/$"))
    look("the composer")
    zoe.get_by_role("link", name=re.compile("deux cents emplois créés")).click()
    message_box = zoe.get_by_label("Votre message")
    expect(message_box).to_have_value(SUGGESTION)
    expect(zoe.locator("[data-nudge]")).to_be_visible()
    look("the composer, from a suggestion")
    message_box.fill(OWN_WORDS)
    expect(zoe.locator("[data-nudge]")).to_have_count(0)
    preview = zoe.locator("[data-network=bluesky]")
    expect(preview.locator("[data-post-text]")).to_contain_text(OWN_WORDS)
    look("the composer, in her own words")
    shown = {
        "text": preview.locator("[data-post-text]").inner_text(),
        "link": preview.locator("[data-card-link]").inner_text(),
        "title": preview.locator("[data-card-title]").inner_text(),
        "description": preview.locator("[data-card-description]").inner_text(),
        "image": preview.locator("[data-link-card] img").get_attribute("src") or "",
    }
    zoe.get_by_role("button", name="Partager maintenant").click()
    expect(zoe).to_have_url(re.compile(r"/me/posts/"))
    expect(zoe.locator("[data-status=published]")).to_be_visible()
    look("my posts")

    # What the PDS holds is what the preview showed.
    target = ShareTarget.objects.get(share__person=newcomer)
    assert target.status == TargetStatus.PUBLISHED, target.failure_reason
    record = post_of(pds, target.remote_id)
    link = publishing.short_url(target.tracked_link)
    # The preview's link is a stand-in as long as the short link drawn when sharing.
    assert len(shown["link"]) == len(link) and link.startswith(shown["link"].rstrip("•"))
    assert record["text"] == shown["text"].replace(shown["link"], link)
    assert record["text"].startswith(OWN_WORDS)
    facet = record["facets"][0]
    raw = record["text"].encode()
    assert raw[facet["index"]["byteStart"] : facet["index"]["byteEnd"]] == link.encode()
    assert facet["features"][0]["uri"] == link
    card = record["embed"]["external"]
    assert card["uri"] == link
    assert (card["title"], card["description"]) == (shown["title"], shown["description"])
    assert shown["image"] and card["thumb"]["mimeType"] == "image/jpeg"
    assert card["thumb"]["size"] > 0

    assert not problems, "\n".join(sorted(problems))
    assert errors == []
