"""The autopilot through HTTP and its subscriber: opt-in only, the preview, the weekly
limit, the template's own words, the similarity skip, turning it off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.autopilot.models import AutopilotPost, Outcome
from ambassade.autopilot.tests.conftest import WORDS, send
from ambassade.content.models import Channel
from ambassade.core.models import AuditEvent
from ambassade.notifications.models import Notification
from ambassade.sharing.models import Share, ShareTarget, TargetStatus

pytestmark = pytest.mark.django_db


def test_nobody_gets_autopilot_posts_without_turning_it_on(setup, account, publish) -> None:
    publish("Nous recrutons à Lyon")
    assert not ShareTarget.objects.exists()
    assert not AutopilotPost.objects.exists()


def test_a_published_item_is_queued_for_the_preview_window_and_announced(
    setup, enrolled, turn_on, publish, client_for
) -> None:
    assert turn_on().status_code == 200
    before = timezone.now()
    item = publish("Nous recrutons à Lyon")
    post = AutopilotPost.objects.get(person=enrolled, item=item)
    assert post.outcome == Outcome.QUEUED
    target = post.target
    assert target is not None and target.scheduled_at is not None
    assert target.status == TargetStatus.SCHEDULED
    # Scheduled at the end of the organisation's 24-hour preview window.
    assert before + timedelta(hours=24) <= target.scheduled_at
    assert target.scheduled_at <= timezone.now() + timedelta(hours=24, minutes=1)
    assert target.share.message == (
        "Je travaille ici depuis six ans et je le recommande : Nous recrutons à Lyon"
    )
    notice = Notification.objects.get(person=enrolled, kind="autopilot_post")
    assert "Nous recrutons à Lyon" in notice.title and notice.url == "/me/autopilot/"
    assert AuditEvent.objects.filter(action="autopilot.post_queued").count() == 1

    page = client_for(enrolled).get("/me/autopilot/").content.decode()
    assert f'id="autopilot-post-{target.pk}"' in page and "recommande" in page
    listed = send(client_for(enrolled), "get", "/me/posts").json()
    assert [row["target_id"] for row in listed] == [target.pk]


def test_only_the_chosen_channels_and_never_twice(
    setup, persona, enrolled, turn_on, publish, django_capture_on_commit_callbacks
) -> None:
    turn_on()
    elsewhere = Channel.objects.create(organisation=persona.organisation, name="RSE")
    publish("Notre bilan carbone", into=elsewhere)
    assert not AutopilotPost.objects.exists()
    item = publish("Nous recrutons à Lyon")
    from ambassade.autopilot.queueing import queue_item

    with django_capture_on_commit_callbacks(execute=True):
        queue_item(item)  # the event delivered again
    assert AutopilotPost.objects.filter(item=item).count() == 1


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("{title} {link}", "words of your own"),
        ("Super {title}", "words of your own"),
        ("Je vous recommande vivement {titre}", "between braces"),
        ("Je vous recommande vivement " + "beaucoup " * 60 + "{title}", "Too long for"),
        ("", "own words"),
    ],
)
def test_the_template_must_hold_the_persons_own_words(setup, turn_on, template, says) -> None:
    answer = turn_on(template=template)
    assert answer.status_code == 422, answer.content
    assert says in answer.content.decode()


def test_turning_on_needs_own_accounts_and_channels(
    setup, persona, turn_on, channel, client_for
) -> None:
    assert turn_on(channel_ids=[]).status_code == 422
    assert turn_on(account_ids=[]).status_code == 422
    # Another person's account is not one of mine.
    from ambassade.sharing.models import SocialAccount

    other = SocialAccount.objects.create(
        organisation=persona.organisation,
        person=persona.employee,
        network="fakenet",
        remote_id="x",
        handle="@bob",
    )
    assert turn_on(account_ids=[other.pk]).status_code == 422
    # At most the organisation's maximum a week.
    assert turn_on(per_week=4).status_code == 422


def test_the_weekly_limit(setup, enrolled, turn_on, publish, client_for) -> None:
    turn_on(per_week=1)
    first = publish("Nous recrutons à Lyon")
    second = publish("Portes ouvertes à Nantes")
    assert AutopilotPost.objects.get(item=first).outcome == Outcome.QUEUED
    assert AutopilotPost.objects.get(item=second).outcome == Outcome.WEEKLY_LIMIT
    assert ShareTarget.objects.count() == 1
    # A post the person cancelled gives its place back.
    target = AutopilotPost.objects.get(item=first).target
    assert send(client_for(enrolled), "post", f"/me/posts/{target.pk}/cancel").status_code == 200
    third = publish("Salon de l'emploi à Lille")
    assert AutopilotPost.objects.get(item=third).outcome == Outcome.QUEUED


def test_too_similar_to_a_colleagues_post_is_skipped_and_said(
    setup, persona, enrolled, turn_on, publish, program, channel
) -> None:
    from ambassade.autopilot.models import Autopilot
    from ambassade.programs.models import AmbassadorType, Enrolment
    from ambassade.sharing.models import SocialAccount

    # A colleague with the very same words turned on first.
    colleague = persona.employee
    kind = AmbassadorType.objects.get(organisation=persona.organisation, kind="supporter")
    Enrolment.objects.create(
        program=program, person=colleague, ambassador_type=kind, status=Enrolment.Status.ACTIVE
    )
    theirs = SocialAccount.objects.create(
        organisation=persona.organisation,
        person=colleague,
        network="fakenet",
        remote_id="fake-2",
        handle="@colleague",
    )
    pilot = Autopilot.objects.create(
        organisation=persona.organisation, person=colleague, enabled=True, template=WORDS
    )
    pilot.channels.add(channel)
    pilot.accounts.add(theirs)
    turn_on()
    item = publish("Nous recrutons à Lyon")
    outcomes = dict(AutopilotPost.objects.filter(item=item).values_list("person", "outcome"))
    assert outcomes == {colleague.pk: Outcome.QUEUED, enrolled.pk: Outcome.TOO_SIMILAR}
    assert not Share.objects.filter(person=enrolled).exists()
    notice = Notification.objects.get(person=enrolled, kind="autopilot_post")
    # In the person's language: the organisation's, French.
    assert notice.title == "Pilote automatique : rien de préparé pour « Nous recrutons à Lyon »"


def test_turning_off_is_one_tap_and_cancels_the_queue(
    setup, enrolled, turn_on, publish, client_for
) -> None:
    turn_on()
    item = publish("Nous recrutons à Lyon")
    target = AutopilotPost.objects.get(item=item).target
    response = client_for(enrolled).post("/me/autopilot/off")
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == TargetStatus.CANCELLED
    event = AuditEvent.objects.get(action="autopilot.turned_off")
    assert event.after == {"cancelled": 1}
    assert send(client_for(enrolled), "get", "/me").json()["enabled"] is False
    publish("Portes ouvertes à Nantes")
    assert AutopilotPost.objects.count() == 1


def test_edit_and_cancel_through_the_api_and_others_get_404(
    setup, persona, enrolled, turn_on, publish, client_for
) -> None:
    turn_on()
    first = AutopilotPost.objects.get(item=publish("Nous recrutons à Lyon")).target
    second = AutopilotPost.objects.get(item=publish("Portes ouvertes à Nantes")).target
    client = client_for(enrolled)
    edited = send(client, "patch", f"/me/posts/{first.pk}", {"message": "Venez, vraiment !"})
    assert edited.status_code == 200, edited.content
    assert edited.json()["message"] == "Venez, vraiment !"
    assert Share.objects.get(pk=first.share_id).message == "Venez, vraiment !"
    assert send(client, "post", f"/me/posts/{second.pk}/cancel").json()["status"] == "cancelled"
    # Someone else's post: not found, through the API and the pages.
    other = client_for(persona.employee)
    assert send(other, "patch", f"/me/posts/{first.pk}", {"message": "x y z"}).status_code == 404
    assert other.get(f"/me/autopilot/posts/{first.pk}/").status_code == 404
    assert other.post(f"/me/autopilot/posts/{first.pk}/cancel").status_code == 404
    # A cancelled post can no longer be changed.
    again = send(client, "patch", f"/me/posts/{second.pk}", {"message": "Autre chose"})
    assert again.status_code == 422


def test_edit_and_cancel_through_the_pages(setup, enrolled, turn_on, publish, client_for) -> None:
    turn_on()
    target = AutopilotPost.objects.get(item=publish("Nous recrutons à Lyon")).target
    client = client_for(enrolled)
    assert client.get(f"/me/autopilot/posts/{target.pk}/").status_code == 200
    response = client.post(f"/me/autopilot/posts/{target.pk}/", {"message": "Mes mots à moi."})
    assert response.status_code == 302
    assert Share.objects.get(pk=target.share_id).message == "Mes mots à moi."
    assert client.post(f"/me/autopilot/posts/{target.pk}/cancel").status_code == 302
    target.refresh_from_db()
    assert target.status == TargetStatus.CANCELLED


def test_turning_on_through_the_page(setup, enrolled, account, channel, client_for) -> None:
    client = client_for(enrolled)
    assert client.get("/me/autopilot/").status_code == 200
    response = client.post(
        "/me/autopilot/",
        {
            "enabled": "on",
            "template": "Trop bien",
            "per_week": "2",
            "channels": [channel.pk],
            "accounts": [account.pk],
        },
    )
    assert response.status_code == 200 and "words of your own" in response.content.decode()
    response = client.post(
        "/me/autopilot/",
        {
            "enabled": "on",
            "template": WORDS,
            "per_week": "2",
            "channels": [channel.pk],
            "accounts": [account.pk],
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="autopilot.turned_on").exists()


def test_the_organisations_limits(setup, persona, client_for, turn_on) -> None:
    admin = client_for(persona.admin)
    assert send(admin, "get", "/settings").json() == {"max_per_week": 3, "preview_hours": 24}
    saved = send(admin, "put", "/settings", {"max_per_week": 5, "preview_hours": 0})
    assert saved.status_code == 422
    saved = send(admin, "put", "/settings", {"max_per_week": 5, "preview_hours": 2})
    assert saved.json() == {"max_per_week": 5, "preview_hours": 2}
    assert turn_on(per_week=5).status_code == 200
    assert send(client_for(persona.ambassador), "put", "/settings", {}).status_code in (403, 422)
    page = admin.post("/console/autopilot/", {"max_per_week": "0", "preview_hours": "12"})
    assert page.status_code == 302
    assert turn_on().status_code == 422  # the organisation turned the autopilot off


def test_the_page_reads_a_fixed_number_of_queries(
    setup, enrolled, turn_on, publish, client_for
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    turn_on()
    client = client_for(enrolled)
    publish("Nous recrutons à Lyon")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/me/autopilot/").status_code == 200
        return len(queries)

    one = count()
    publish("Portes ouvertes à Nantes")
    publish("Salon de l'emploi à Lille")
    assert AutopilotPost.objects.filter(outcome=Outcome.QUEUED).count() == 3
    assert count() == one
