"""The issue's second journey in a real browser: an ambassador schedules a Mastodon post
and a Facebook share link from the composer; an admin pauses the organisation and the
scheduled post waits; after resuming, the worker posts it once on the (local, fake)
Mastodon instance.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core.roles import Role
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing import publishing
from ambassade.sharing.models import ShareTarget, SharingSettings, SocialAccount, TargetStatus
from ambassade.sharing.networks.base import Credentials
from ambassade.sharing.tests.networks.fake_api import Reply, fake_api
from ambassade.sharing.tests.test_browser_bluesky import expect, sign_in
from ambassade.testing.factories import OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
STATUS = {
    "id": "109",
    "uri": "https://127.0.0.1/users/alice/statuses/109",
    "url": "https://mastodon.example/@alice/109",
    "created_at": "2026-11-22T10:00:00.000Z",
    "content": "<p>ok</p>",
    "visibility": "public",
    "favourites_count": 0,
    "reblogs_count": 0,
    "replies_count": 0,
}


def test_a_scheduled_mastodon_post_a_facebook_link_and_the_pause(
    live_server: LiveServer, page: Page, new_page: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-schedule")
    SharingSettings.objects.create(organisation=organisation, quiet_start=None, quiet_end=None)
    ambassador: Any = PersonFactory(
        organisation=organisation, email="amb@example.com", roles=[Role.AMBASSADOR], with_user=True
    )
    PersonFactory(
        organisation=organisation, email="admin@example.com", roles=[Role.ADMIN], with_user=True
    )
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    kind, _ = AmbassadorType.objects.get_or_create(organisation=organisation, kind="supporter")
    Enrolment.objects.create(program=program, person=ambassador, ambassador_type=kind)
    ContentItem.objects.create(
        organisation=organisation,
        program=program,
        kind=Kind.ARTICLE,
        status=Status.PUBLISHED,
        title="Salon Industrie 2026",
        description="Stand B12.",
        url="https://verdier.example/salon",
        language="fr",
        published_at=timezone.now() - timedelta(hours=1),
    )
    with fake_api() as mastodon:
        mastodon.on("POST", "/api/v1/statuses", Reply(200, STATUS))
        account = SocialAccount(
            organisation=organisation,
            person=ambassador,
            network="mastodon",
            remote_id="1",
            handle="@alice@127.0.0.1",
        )
        account.store(
            Credentials(secrets={"access_token": "tok", "instance": mastodon.url, "client_id": "c"})
        )
        account.save()

        sign_in(page, live_server, "amb@example.com")
        page.goto(f"{live_server.url}/feed/")
        page.get_by_role("link", name="Share", exact=True).first.click()
        page.get_by_label("Your message").fill(
            "Je serai au Salon Industrie jeudi, stand B12 : passez me voir pour parler capteurs !"
        )
        page.get_by_label(re.compile(r"Mastodon · @alice@127\.0\.0\.1")).check()
        page.get_by_label("Facebook", exact=True).check()
        moment = timezone.localtime(timezone.now() + timedelta(hours=3))
        page.get_by_label("Date", exact=True).fill(moment.strftime("%d/%m/%Y"))
        page.get_by_label("Time of day").fill(moment.strftime("%H:%M"))
        page.get_by_role("button", name="Schedule at this time").click()

        expect(page.get_by_role("heading", name="My posts")).to_be_visible()
        expect(page.locator("[data-status=scheduled]")).to_be_visible()
        facebook = page.get_by_role("link", name="Open in Facebook")
        expect(facebook).to_have_attribute(
            "href", re.compile(r"^https://www\.facebook\.com/sharer/sharer\.php\?u=.*%2Fr%2F")
        )

        admin = new_page()
        sign_in(admin, live_server, "admin@example.com")
        admin.goto(f"{live_server.url}/console/sharing/")
        admin.get_by_role("button", name="Pause all publishing").click()
        expect(admin.get_by_role("button", name="Resume publishing")).to_be_visible()

        target = ShareTarget.objects.get(account=account)
        ShareTarget.objects.filter(pk=target.pk).update(
            scheduled_at=timezone.now() - timedelta(minutes=1)
        )
        publishing.release_due()
        assert mastodon.requests == []  # the pause holds the due post
        page.reload()
        expect(page.locator("[data-status=paused]")).to_be_visible()

        admin.get_by_role("button", name="Resume publishing").click()
        expect(admin.get_by_role("button", name="Pause all publishing")).to_be_visible()
        publishing.release_due()
        mastodon.only("POST", "/api/v1/statuses")
        target.refresh_from_db()
        assert target.status == TargetStatus.PUBLISHED
