"""An executive approves, on a 360-pixel phone in French, the post her assistant wrote.

Hélène, the managing director, connected Bluesky (a real local PDS) and named Paul, her
assistant, her delegate. Paul writes a draft for her about the new plant (through the
test client: his side is tested page by page in delegation/tests). Nothing is posted.
Hélène opens "Mes délégués" from her space, opens the draft, changes a few words and
approves it: the post is hers, published through sharing, and the PDS holds her text.
Paul then reads that his draft was approved.

On every page of hers: nothing wider than the screen, nothing off-screen, the bottom bar
inside it (ambassade/testing/phone.py); no English string of our catalogue and no raw
code (ambassade/testing/french.py); no console error or CSP violation.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.delegation.models import Draft, DraftStatus
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing.models import ShareTarget, SharingSettings, SocialAccount, TargetStatus
from ambassade.sharing.tests.pds import post_of
from ambassade.testing.browser import expect
from ambassade.testing.factories import OrganisationFactory, PersonFactory
from ambassade.testing.french import FrenchReader
from ambassade.testing.phone import check_layout

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
WIDTH, HEIGHT = 360, 740
TITLE = "Notre usine de Lyon ouvre ses portes"
DRAFTED = "Notre usine de Lyon ouvre : deux cents emplois et des ateliers pour les écoles."
HER_WORDS = (
    "J'étais à Lyon ce matin : deux cents emplois, des ateliers ouverts aux écoles. "
    "Fière de cette équipe."
)


def _executive_and_assistant(pds: dict) -> tuple[Any, Any, ContentItem]:
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-delegation")
    SharingSettings.objects.create(
        organisation=organisation, quiet_start=None, quiet_end=None, stagger_minutes=0
    )
    helene: Any = PersonFactory(
        organisation=organisation,
        email="helene@example.com",
        first_name="Hélène",
        last_name="Vasseur",
        job_title="Directrice générale",
        languages=["fr"],
        with_user=True,
    )
    paul: Any = PersonFactory(
        organisation=organisation,
        email="paul@example.com",
        first_name="Paul",
        last_name="Mercier",
        languages=["fr"],
        with_user=True,
    )
    for person in (helene, paul):
        person.user.language = "fr"
        person.user.save(update_fields=["language"])
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    kind, _ = AmbassadorType.objects.get_or_create(organisation=organisation, kind="designated")
    Enrolment.objects.create(
        program=program, person=helene, ambassador_type=kind, status=Enrolment.Status.ACTIVE
    )
    item = ContentItem.objects.create(
        organisation=organisation,
        program=program,
        kind=Kind.ARTICLE,
        status=Status.PUBLISHED,
        title=TITLE,
        description="Deux cents emplois d'ici 2027.",
        url="https://verdier.example/news/lyon",
        language="fr",
        published_at=timezone.now() - timedelta(hours=1),
    )
    # Hélène connected Bluesky and named Paul, through the pages.
    her = Client()
    her.force_login(helene.user)
    connected = her.post(
        "/me/accounts/bluesky/password",
        {"handle": pds["handle"], "app_password": pds["app_password"], "pds_url": pds["pds_url"]},
    )
    assert connected.status_code == 302, connected.content.decode()[:2000]
    assert her.post("/me/delegates/", {"email": "paul@example.com"}).status_code == 302
    return helene, paul, item


def _signed_in(new_page: Any, live_server: Any, person: Any) -> Any:
    client = Client()
    client.force_login(person.user)
    page = new_page(locale="fr-FR", viewport={"width": WIDTH, "height": HEIGHT})
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    return page


def test_an_executive_approves_on_her_phone_the_draft_her_assistant_wrote(
    live_server: LiveServer, new_page: Any, bluesky_pds: dict, settings: Any
) -> None:
    pds = bluesky_pds
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    port = pds["pds_url"].rsplit(":", 1)[1].split("/")[0]
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}", f"localhost:{port}"]
    helene, paul, item = _executive_and_assistant(pds)
    account = SocialAccount.objects.get(person=helene, network="bluesky")

    # Paul writes for Hélène: he sees her account's network and handle, nothing else.
    his = Client()
    his.force_login(paul.user)
    writing_for = his.get("/me/writing-for/").content.decode()
    assert "Hélène Vasseur" in writing_for
    [write_url] = re.findall(r'href="(/me/writing-for/\d+/new)"', writing_for)
    form = his.get(write_url).content.decode()
    assert pds["handle"].lstrip("@") in form and pds["app_password"] not in form
    sent = his.post(write_url, {"item": item.pk, "text": DRAFTED, "accounts": [account.pk]})
    assert sent.status_code == 302, sent.content.decode()[:2000]
    draft = Draft.objects.get()
    assert not ShareTarget.objects.exists()  # nothing is posted before she approves

    reader = FrenchReader(english_content=[TITLE])
    problems: set[str] = set()
    errors: list[str] = []
    phone = _signed_in(new_page, live_server, helene)
    phone.on("console", lambda note: errors.append(note.text) if note.type == "error" else None)
    phone.on("pageerror", lambda error: errors.append(str(error)))

    def look(where: str) -> None:
        phone.wait_for_load_state()
        assert phone.evaluate("document.documentElement.lang") == "fr", where
        check_layout(phone, WIDTH, HEIGHT, where)
        problems.update(reader.problems_in_page(where, phone.content()))

    phone.goto(f"{live_server.url}/me/")
    look("my space")
    phone.get_by_role("link", name="Mes délégués").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mes délégués")
    expect(phone.get_by_text("Paul Mercier").first).to_be_visible()
    look("my delegates")
    phone.get_by_role("link", name=re.compile("Notre usine de Lyon ouvre")).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Un brouillon de Paul Mercier")
    look("the draft")
    box = phone.get_by_label("La publication")
    expect(box).to_have_value(DRAFTED)
    box.fill(HER_WORDS)
    phone.get_by_role("button", name="Approuver et publier").click()
    expect(phone.locator(".flash")).to_contain_text("Approuvé")
    expect(phone.get_by_text("Approuvé", exact=True)).to_be_visible()
    look("the draft, approved")

    draft.refresh_from_db()
    assert draft.status == DraftStatus.APPROVED and draft.edited
    target = ShareTarget.objects.get(share__person=helene)
    assert target.status == TargetStatus.PUBLISHED, target.failure_reason
    record = post_of(pds, target.remote_id)
    assert record["text"].startswith(HER_WORDS)

    # Paul reads the outcome.
    outcome = his.get(f"/me/drafts/{draft.pk}/").content.decode()
    assert "Approuvé" in outcome

    assert not problems, "\n".join(sorted(problems))
    assert errors == []
