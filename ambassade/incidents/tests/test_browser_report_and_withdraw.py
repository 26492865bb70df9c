"""The "Done when" of problem reports, in French, in Chromium, against the local Bluesky PDS.

A supporter's post is published to the PDS through Ambassade. On a 360-pixel phone the
supporter reports hostile replies on it from "Ma file", allowing their coach to delete
it; the coach and internal communications find the report in their notifications (console
at 1440 pixels); the coach deletes the post from the PDS through Ambassade (the PDS no
longer has the record); internal communications resolves the report; the supporter sees
it resolved.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from django.utils import timezone

from ambassade.coaching.models import CoachAssignment
from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core.authz import actor_for_person
from ambassade.core.roles import Role
from ambassade.incidents.models import ProblemReport, ReportStatus
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing import actions
from ambassade.sharing.actions.shares import TargetRequest
from ambassade.sharing.models import ShareTarget, SharingSettings, TargetStatus
from ambassade.sharing.networks.bluesky import POST_COLLECTION
from ambassade.sharing.tests.pds import bluesky_pds  # noqa: F401 (a session fixture)
from ambassade.testing.browser import CONSOLE_SCREENS, expect
from ambassade.testing.browser import sign_in as password_sign_in
from ambassade.testing.factories import OrganisationFactory, PersonFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PASSWORD = "correct horse battery staple"
PHONE = {"width": 360, "height": 740}


def sign_in(page: Page, live_server: LiveServer, email: str) -> None:
    page.set_default_timeout(30_000)  # the machine runs other suites alongside
    password_sign_in(page, live_server.url, email, PASSWORD)


def person(organisation: Any, email: str, roles: list[str]) -> Any:
    found = PersonFactory(organisation=organisation, email=email, roles=roles, with_user=True)
    found.user.language = "fr"
    found.user.save(update_fields=["language"])
    return found


def published_on_the_pds(organisation: Any, supporter: Any, pds: dict[str, Any]) -> ShareTarget:
    """The supporter connects their Bluesky account and shares: published at once."""
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    kind, _ = AmbassadorType.objects.get_or_create(organisation=organisation, kind="supporter")
    Enrolment.objects.create(program=program, person=supporter, ambassador_type=kind)
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
    actor = actor_for_person(supporter)
    account = actions.connect_with_password(
        actor,
        "bluesky",
        {"handle": pds["handle"], "app_password": pds["app_password"], "pds_url": pds["pds_url"]},
    )
    share = actions.create_share(
        actor,
        item,
        "Fière de notre nouvelle usine lyonnaise : venez voir ce que l'on y construit !",
        [TargetRequest(account_id=account.pk)],
        when="now",
    )
    target = share.targets.get()
    target.refresh_from_db()
    assert target.status == TargetStatus.PUBLISHED, target.failure_reason
    return target


def record_of(pds: dict[str, Any], target: ShareTarget) -> httpx.Response:
    rkey = target.remote_id.rsplit("/", 1)[1]
    return httpx.get(
        f"{pds['pds_url']}/xrpc/com.atproto.repo.getRecord",
        params={"repo": pds["did"], "collection": POST_COLLECTION, "rkey": rkey},
        timeout=10,
    )


def test_a_supporter_reports_hostile_replies_and_the_post_leaves_bluesky(
    live_server: LiveServer,
    new_page: Any,
    bluesky_pds: dict,  # noqa: F811
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    port = bluesky_pds["pds_url"].rsplit(":", 1)[1].split("/")[0]
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}", f"localhost:{port}"]
    organisation: Any = OrganisationFactory(name="Verdier", slug="verdier-incidents")
    SharingSettings.objects.create(organisation=organisation, quiet_start=None, quiet_end=None)
    supporter = person(organisation, "soutien@example.com", [Role.AMBASSADOR])
    coach = person(organisation, "coach@example.com", [Role.COACH])
    person(organisation, "comms@example.com", [Role.INTERNAL_COMMS])
    CoachAssignment.objects.create(organisation=organisation, coach=coach, ambassador=supporter)
    target = published_on_the_pds(organisation, supporter, bluesky_pds)
    assert record_of(bluesky_pds, target).status_code == 200

    # The supporter, on a phone: "Ma file", then "Signaler un problème" on the post.
    phone = new_page(locale="fr-FR", viewport=PHONE)
    sign_in(phone, live_server, "soutien@example.com")
    phone.goto(f"{live_server.url}/me/posts/")
    post = phone.locator(f"#post-{target.pk}")
    post.get_by_role("link", name=re.compile("^Signaler un problème")).click()
    phone.get_by_label("Réponses hostiles").check()
    phone.get_by_label("Élevée").check()
    phone.get_by_label("Décrivez-le").fill("Des dizaines de réponses insultantes sous mon post.")
    phone.get_by_label("Mon coach peut supprimer le post").check()
    phone.get_by_role("button", name="Envoyer le signalement").click()
    expect(phone.get_by_text("Votre signalement est envoyé")).to_be_visible()
    report = ProblemReport.objects.get()
    assert report.target_id == target.pk and report.coach_may_delete

    # The coach, on the console: told, opens the report and deletes the post.
    desk = new_page(locale="fr-FR", viewport=CONSOLE_SCREENS["1440px"])
    sign_in(desk, live_server, "coach@example.com")
    desk.goto(f"{live_server.url}/console/notifications/")
    desk.get_by_role("link", name=re.compile("signale un problème")).first.click()
    expect(desk).to_have_url(re.compile(rf"/console/reports/{report.pk}/$"))
    desk.get_by_role("button", name="Supprimer le post du réseau").click()
    expect(desk.get_by_text("Le post est supprimé du réseau.")).to_be_visible()
    gone = record_of(bluesky_pds, target)
    assert gone.status_code == 400 and gone.json()["error"] == "RecordNotFound"
    target.refresh_from_db()
    assert target.status == TargetStatus.DELETED

    # Internal communications: told too; resolves the report.
    comms_page = new_page(locale="fr-FR", viewport=CONSOLE_SCREENS["1440px"])
    sign_in(comms_page, live_server, "comms@example.com")
    comms_page.goto(f"{live_server.url}/console/notifications/")
    comms_page.get_by_role("link", name=re.compile("signale un problème")).first.click()
    comms_page.get_by_label("Comment il a été résolu").fill("Post supprimé, réponses signalées.")
    comms_page.get_by_role("button", name="Résoudre").click()
    expect(comms_page.get_by_text("Le signalement est résolu")).to_be_visible()

    # The supporter sees it resolved.
    phone.goto(f"{live_server.url}/me/reports/{report.pk}/")
    expect(phone.locator("[data-report-status=resolved]")).to_have_text("Résolu")
    expect(phone.get_by_text("Post supprimé, réponses signalées.").first).to_be_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED
