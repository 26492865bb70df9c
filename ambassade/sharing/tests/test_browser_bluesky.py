"""The issue's "Done when" for Bluesky, in a real browser against the local PDS.

An ambassador connects a Bluesky account with an app password, opens the composer from
a feed card, starts from the suggested message, is nudged because it is a copy, makes
it their own, shares, and sees the post published with its link.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status, SuggestedMessage
from ambassade.core.roles import Role
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing.models import ShareTarget, SharingSettings, TargetStatus
from ambassade.testing.browser import expect
from ambassade.testing.browser import sign_in as password_sign_in
from ambassade.testing.factories import OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "correct horse battery staple"


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    password_sign_in(page, live_server.url, email, PASSWORD)


def test_an_ambassador_connects_bluesky_and_shares_in_their_words(
    live_server: LiveServer,
    page: Page,
    bluesky_pds: dict,
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    port = bluesky_pds["pds_url"].rsplit(":", 1)[1].split("/")[0]
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}", f"localhost:{port}"]
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-sharing")
    SharingSettings.objects.create(organisation=organisation, quiet_start=None, quiet_end=None)
    ambassador: Any = PersonFactory(
        organisation=organisation,
        email="amb@example.com",
        roles=[Role.AMBASSADOR],
        with_user=True,
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
        description="Une usine neuve.",
        url="https://verdier.example/news/lyon",
        language="fr",
        published_at=timezone.now() - timedelta(hours=1),
    )
    SuggestedMessage.objects.create(
        item=item,
        language="fr",
        network="any",
        text="Verdier ouvre une nouvelle usine à Lyon : deux cents emplois créés !",
    )

    sign_in(page, live_server, "amb@example.com")
    page.goto(f"{live_server.url}/me/accounts/")
    page.get_by_role("link", name="Connect Bluesky").click()
    page.get_by_label("Handle").fill(bluesky_pds["handle"])
    page.get_by_label("App password").fill(bluesky_pds["app_password"])
    page.get_by_label("Server").fill(bluesky_pds["pds_url"])
    page.get_by_role("button", name="Connect", exact=True).click()
    expect(page.get_by_text("@alice.test is connected.")).to_be_visible()

    page.goto(f"{live_server.url}/feed/")
    page.get_by_role("link", name="Share", exact=True).first.click()
    page.get_by_role("link", name=re.compile("deux cents emplois")).click()
    message = page.get_by_label("Your message")
    expect(message).to_have_value(re.compile("deux cents emplois"))
    page.get_by_role("button", name="Share now").click()
    expect(page.locator("[data-nudge]")).to_contain_text("the same as")

    message.fill(
        "J'ai visité le chantier de Lyon la semaine dernière : impressionnant, et on embauche !"
    )
    page.get_by_role("button", name="Share now").click()
    expect(page.get_by_role("heading", name="My posts")).to_be_visible()
    expect(page.locator("[data-status=published]")).to_be_visible()
    link = page.get_by_role("link", name="See the post")
    expect(link).to_have_attribute(
        "href", re.compile(r"^https://bsky\.app/profile/alice\.test/post/")
    )
    assert ShareTarget.objects.get(share__person=ambassador).status == TargetStatus.PUBLISHED
