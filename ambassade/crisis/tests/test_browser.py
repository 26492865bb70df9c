"""The crisis in a real browser, in French: internal communications (console, 1440 px)
starts a crisis ending at a given date; an ambassador's scheduled Mastodon post (on the
local fake instance) is held and said so; the ambassador (360 px) sees the banner; at
the crisis's date the periodic job ends it and the post goes back to its author, who is
told and schedules it again."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core.roles import Role
from ambassade.crisis import actions
from ambassade.notifications.models import Notification
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing import publishing
from ambassade.sharing.models import ShareTarget, SharingSettings, SocialAccount, TargetStatus
from ambassade.sharing.networks.base import Credentials
from ambassade.sharing.tests.networks.fake_api import fake_api
from ambassade.sharing.tests.test_browser_bluesky import expect, sign_in
from ambassade.testing.factories import OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 360, "height": 740}


def _organisation() -> tuple[Any, Any, Any]:
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-crisis")
    SharingSettings.objects.create(organisation=organisation, quiet_start=None, quiet_end=None)
    ambassador: Any = PersonFactory(
        organisation=organisation, email="amb@example.com", roles=[Role.AMBASSADOR], with_user=True
    )
    PersonFactory(
        organisation=organisation,
        email="comms@example.com",
        roles=[Role.INTERNAL_COMMS],
        with_user=True,
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
    return organisation, ambassador, program


def test_a_crisis_holds_a_scheduled_mastodon_post_and_returns_it_at_its_end(
    live_server: LiveServer, new_page: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    organisation, ambassador, _program = _organisation()
    with fake_api() as mastodon:
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

        phone: Page = new_page(locale="fr-FR", viewport=PHONE)
        sign_in(phone, live_server, "amb@example.com")
        phone.goto(f"{live_server.url}/feed/")
        phone.get_by_role("link", name="Partager", exact=True).first.click()
        phone.get_by_label("Votre message").fill(
            "Je serai au Salon Industrie jeudi, stand B12 : passez me voir pour parler capteurs !"
        )
        phone.get_by_label(re.compile(r"Mastodon · @alice@127\.0\.0\.1")).check()
        moment = timezone.localtime(timezone.now() + timedelta(hours=3))
        phone.get_by_label("Date", exact=True).fill(moment.strftime("%d/%m/%Y"))
        phone.get_by_label("Heure").fill(moment.strftime("%H:%M"))
        phone.get_by_role("button", name="Programmer à cette heure").click()
        expect(phone.locator("[data-status=scheduled]")).to_be_visible()

        console: Page = new_page(locale="fr-FR", viewport=DESKTOP)
        sign_in(console, live_server, "comms@example.com")
        console.goto(f"{live_server.url}/console/crisis/")
        console.get_by_label("Nom de la crise").fill("Incendie à l'usine de Lyon")
        console.get_by_label("Description, montrée à chaque ambassadeur").fill(
            "Un incendie a touché l'usine cette nuit. Personne n'est blessé."
        )
        ends = timezone.localtime(timezone.now() + timedelta(days=2))
        console.get_by_label("Se termine le").fill(ends.strftime("%d/%m/%Y"))
        console.get_by_label(re.compile(r"^À\s*:?$")).fill("18:00")
        console.get_by_label("Les rendre à leurs auteurs", exact=True).check()
        console.get_by_role("button", name="Déclarer la crise").click()
        expect(
            console.get_by_role("heading", name="Crise : Incendie à l'usine de Lyon")
        ).to_be_visible()
        expect(console.locator("[data-step=posts_held]")).to_contain_text("1")

        target = ShareTarget.objects.get(account=account)
        ShareTarget.objects.filter(pk=target.pk).update(
            scheduled_at=timezone.now() - timedelta(minutes=1)
        )
        publishing.release_due()
        assert mastodon.requests == []  # held, not published when due
        phone.goto(f"{live_server.url}/me/posts/")
        held = phone.locator("[data-status=paused]")
        expect(held).to_contain_text("Retenue")
        expect(held).to_contain_text("Crise : Incendie à l'usine de Lyon")
        phone.goto(f"{live_server.url}/feed/")
        banner = phone.get_by_role("region", name="Crise : Incendie à l'usine de Lyon")
        expect(banner).to_contain_text("Personne n'est blessé.")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        # The periodic job, with the clock past the crisis's end.
        assert actions.end_due(timezone.now() + timedelta(days=3)) == 1
        phone.goto(f"{live_server.url}/me/posts/")
        returned = phone.locator("[data-status=returned]")
        expect(returned).to_contain_text("Rendue")
        assert Notification.objects.filter(person=ambassador, kind="crisis_posts").exists()
        expect(phone.get_by_role("region", name=re.compile("^Crise"))).to_have_count(0)
        again = timezone.localtime(timezone.now() + timedelta(hours=5))
        returned.get_by_label("Date", exact=True).fill(again.strftime("%d/%m/%Y"))
        returned.get_by_label("Heure").fill(again.strftime("%H:%M"))
        returned.get_by_role("button", name="La programmer de nouveau").click()
        expect(phone.get_by_text("La publication est programmée de nouveau.")).to_be_visible()
        target.refresh_from_db()
        assert target.status == TargetStatus.SCHEDULED
        assert mastodon.requests == []
