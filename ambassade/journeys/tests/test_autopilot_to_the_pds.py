"""An ambassador's autopilot, end to end against a real local Bluesky PDS, in French:
two items are published in the channel it follows; both posts are queued and announced
for the preview window; the ambassador rewrites one and cancels the other on the
Autopilot page; after the window the publishing job posts the rewritten text to the PDS,
and the cancelled one never reaches it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ambassade.autopilot.models import AutopilotPost, Outcome
from ambassade.content.actions import workflow
from ambassade.content.models import Channel, ContentItem, Kind, Status
from ambassade.core.authz import actor_for_person
from ambassade.notifications.models import Notification
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing import publishing
from ambassade.sharing.models import ShareTarget, SharingSettings, SocialAccount, TargetStatus
from ambassade.sharing.tests.pds import posts_on

pytestmark = pytest.mark.django_db(transaction=True)
WORDS = "Six ans chez Acme et toujours fière de mon équipe : {title} {link}"
REWRITTEN = "Je connais cette équipe de l'intérieur : venez nous rencontrer à Lyon !"


def _texts(pds: dict) -> list[str]:
    return [record["value"]["text"] for record in posts_on(pds)]


def _worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def test_autopilot_previewed_edited_published_and_cancelled(
    persona, client_for, bluesky_pds, settings
) -> None:
    pds = bluesky_pds
    port = pds["pds_url"].rsplit(":", 1)[1].split("/")[0]
    settings.OUTBOUND_ALLOWED_HOSTS = [f"127.0.0.1:{port}", f"localhost:{port}"]
    organisation = persona.organisation
    SharingSettings.objects.create(organisation=organisation, quiet_start=None, quiet_end=None)
    program = Program.objects.create(organisation=organisation, name="Marque employeur")
    kind, _ = AmbassadorType.objects.get_or_create(organisation=organisation, kind="supporter")
    ambassador = persona.ambassador
    Enrolment.objects.create(
        program=program, person=ambassador, ambassador_type=kind, status=Enrolment.Status.ACTIVE
    )
    ambassador.user.language = "fr"
    ambassador.user.save(update_fields=["language"])
    channel = Channel.objects.create(organisation=organisation, name="Recrutement")
    earlier = set(_texts(pds))  # the PDS lives for the session: other tests post too

    client = client_for(ambassador)
    connected = client.post(
        "/me/accounts/bluesky/password",
        {"handle": pds["handle"], "app_password": pds["app_password"], "pds_url": pds["pds_url"]},
    )
    assert connected.status_code == 302, connected.content.decode()[:2000]
    account = SocialAccount.objects.get(person=ambassador, network="bluesky")

    # Turned on through the page, in French.
    page = client.get("/me/autopilot/")
    assert "Pilote automatique" in page.content.decode()
    turned_on = client.post(
        "/me/autopilot/",
        {
            "enabled": "on",
            "template": WORDS,
            "per_week": "2",
            "channels": [channel.pk],
            "accounts": [account.pk],
        },
    )
    assert turned_on.status_code == 302, turned_on.content.decode()[:3000]

    items = []
    for title in ("Nous recrutons à Lyon", "Portes ouvertes à Nantes"):
        item = ContentItem.objects.create(
            organisation=organisation,
            program=program,
            kind=Kind.ARTICLE,
            status=Status.DRAFT,
            title=title,
            description="Vingt postes d'ingénieurs.",
            url="https://acme.example/jobs",
            language="fr",
        )
        item.channels.add(channel)
        workflow.publish(actor_for_person(persona.marketer), item)
        items.append(item)
    _worker()  # the events' deliveries: the autopilot queues a post per item

    kept, dropped = (
        AutopilotPost.objects.get(item=item, outcome=Outcome.QUEUED).target for item in items
    )
    assert kept is not None and dropped is not None
    for target in (kept, dropped):
        assert target.status == TargetStatus.SCHEDULED and target.scheduled_at is not None
        assert target.scheduled_at > timezone.now() + timedelta(hours=23)
    notices = Notification.objects.filter(person=ambassador, kind="autopilot_post")
    assert notices.count() == 2
    assert all(notice.title.startswith("Pilote automatique") for notice in notices)

    # The preview: both posts, as they will go out, with Modifier and Annuler.
    preview = client.get("/me/autopilot/").content.decode()
    assert "Six ans chez Acme et toujours fière de mon équipe : Nous recrutons à Lyon" in preview
    assert f'id="autopilot-post-{kept.pk}"' in preview
    assert f'id="autopilot-post-{dropped.pk}"' in preview
    assert "Modifier" in preview and "Annuler" in preview

    edit_page = client.get(f"/me/autopilot/posts/{kept.pk}/")
    assert "Modifier ma publication" in edit_page.content.decode()
    edited = client.post(f"/me/autopilot/posts/{kept.pk}/", {"message": REWRITTEN})
    assert edited.status_code == 302
    cancelled = client.post(f"/me/autopilot/posts/{dropped.pk}/cancel")
    assert cancelled.status_code == 302
    assert "annulée" in client.get("/me/autopilot/").content.decode()

    # Nothing goes out during the window, even when the publishing job runs.
    publishing.release_due()
    _worker()
    assert set(_texts(pds)) == earlier

    # After the window.
    ShareTarget.objects.filter(pk__in=[kept.pk, dropped.pk]).update(
        scheduled_at=timezone.now() - timedelta(minutes=1)
    )
    publishing.release_due()
    _worker()
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert kept.status == TargetStatus.PUBLISHED, kept.failure_reason
    assert dropped.status == TargetStatus.CANCELLED
    new = [text for text in _texts(pds) if text not in earlier]
    link = publishing.short_url(kept.tracked_link)
    assert new == [f"{REWRITTEN}\n\n{link}"]
    assert not any("Portes ouvertes" in text for text in _texts(pds))
