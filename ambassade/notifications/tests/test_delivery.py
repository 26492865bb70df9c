"""notify() from the events: the defaults, quiet hours, caps, choices.

Featured content is the example kind; by default it goes in-app and by push, and by
e-mail only in the digest, so these tests mostly use a person who asked for it by e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.core.events import deliver
from ambassade.core.models import DomainEvent, EventDelivery
from ambassade.notifications import actions, kinds
from ambassade.notifications.models import Notification, Preference, Settings
from ambassade.notifications.tests.conftest import asleep, awake
from ambassade.testing.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def featured_by_email(request) -> None:
    """The enrolled ambassador asked for featured content by e-mail as well."""
    if "enrolled" in request.fixturenames:
        enrolled = request.getfixturevalue("enrolled")
        Preference.objects.create(
            person=enrolled, kind="featured_content", channel="email", enabled=True
        )


def _feature(produce, item) -> DomainEvent:
    return produce(
        "content.item_featured",
        item.organisation,
        item_id=item.pk,
        title=item.title,
        program_ids=[item.program_id],
    )


def test_by_default_featured_content_comes_in_app_and_by_push_not_by_email(persona) -> None:
    featured = kinds.KINDS["featured_content"]
    assert actions.enabled_channels(persona.ambassador, featured) == ["in_app", "push"]


def test_ambassador_who_asked_gets_featured_item_in_app_and_by_email(
    persona, enrolled, item, produce, mailoutbox
) -> None:
    awake(enrolled)
    event = _feature(produce, item)
    notice = Notification.objects.get()
    assert (notice.person, notice.kind, notice.event_id) == (enrolled, "featured_content", event.pk)
    assert notice.url == f"/share/{item.pk}/" and notice.read_at is None
    assert notice.sent_channels == ["email"]
    # Only the enrolled ambassador: the marketer, not in the program, is not told.
    assert [message.to for message in mailoutbox] == [[enrolled.email]]
    message = mailoutbox[0]
    assert item.title in message.subject
    assert f"/share/{item.pk}/" in message.body
    # Why it was sent, and the setting that stops it.
    assert "you are in a program this featured content targets" in message.body
    assert "/me/notifications/settings/#kind-featured_content" in message.body
    html = message.alternatives[0][0]
    assert "/me/notifications/settings/" in html


def test_a_subscriber_run_twice_notifies_once(persona, enrolled, item, produce, mailoutbox) -> None:
    awake(enrolled)
    event = _feature(produce, item)
    delivery = EventDelivery.objects.get(
        event=event, subscriber__startswith="ambassade.notifications."
    )
    # Delivered again by hand (as after a crash between the notice and the delivery row).
    EventDelivery.objects.filter(pk=delivery.pk).update(status=EventDelivery.Status.PENDING)
    assert deliver(delivery.pk) == "delivered"
    assert Notification.objects.count() == 1 and len(mailoutbox) == 1


def test_an_archived_item_is_not_announced(persona, enrolled, item, produce, mailoutbox) -> None:
    item.status = "archived"
    item.save(update_fields=["status"])
    _feature(produce, item)
    assert not Notification.objects.exists() and mailoutbox == []


def test_quiet_hours_hold_a_non_urgent_email_until_they_end(
    persona, enrolled, item, produce, mailoutbox
) -> None:
    asleep(enrolled)
    _feature(produce, item)
    notice = Notification.objects.get()
    assert mailoutbox == []  # in the app at once, the e-mail waits
    held = notice.hold_until
    assert held is not None and held > timezone.now()
    assert notice.held_channels == ["email", "push"]
    assert actions.release_held() == 0
    assert actions.release_held(now=held + timedelta(minutes=1)) == 1
    assert [message.to for message in mailoutbox] == [[enrolled.email]]
    assert actions.release_held(now=held + timedelta(minutes=2)) == 0
    assert len(mailoutbox) == 1


def test_urgent_notices_ignore_quiet_hours(persona, enrolled, account, produce, mailoutbox) -> None:
    asleep(enrolled)
    account.status = account.Status.NEEDS_RECONNECTION
    account.save(update_fields=["status"])
    produce(
        "sharing.account_needs_reconnection",
        persona.organisation,
        account_id=account.pk,
        person_id=enrolled.pk,
        network="fakenet",
    )
    notice = Notification.objects.get()
    assert notice.kind == "account_health" and notice.urgent
    assert notice.url == "/me/accounts/fakenet/connect"  # one tap to reconnect
    assert len(mailoutbox) == 1 and "/me/accounts/fakenet/connect" in mailoutbox[0].body


def test_the_daily_cap_keeps_the_rest_in_the_app(
    persona, enrolled, program, item, produce, mailoutbox
) -> None:
    awake(enrolled)
    for _ in range(4):
        _feature(produce, item)
    assert Notification.objects.count() == 4
    assert len(mailoutbox) == 3  # the default cap: 3 a day
    assert Notification.objects.filter(capped=True).count() == 1
    # An urgent notice still goes out.
    produce(
        "sharing.account_expiring",
        persona.organisation,
        account_id=_account(enrolled).pk,
        person_id=enrolled.pk,
        network="fakenet",
        expires_at=(timezone.now() + timedelta(days=1)).isoformat(),
        days_left=1,
    )
    assert len(mailoutbox) == 4


def _account(person):
    from ambassade.sharing.models import SocialAccount

    return SocialAccount.objects.create(
        organisation=person.organisation,
        person=person,
        network="fakenet",
        remote_id="x",
        handle="@x",
    )


def test_the_weekly_cap(persona, enrolled, item, produce, mailoutbox) -> None:
    awake(enrolled)
    Settings.objects.filter(person=enrolled).update(daily_cap=100, weekly_cap=2)
    for _ in range(3):
        _feature(produce, item)
    assert len(mailoutbox) == 2 and Notification.objects.count() == 3


def test_a_channel_turned_off_is_respected(persona, enrolled, item, produce, mailoutbox) -> None:
    awake(enrolled)
    Preference.objects.filter(person=enrolled, kind="featured_content", channel="email").update(
        enabled=False
    )
    _feature(produce, item)
    assert Notification.objects.count() == 1 and mailoutbox == []


def test_the_failed_share_path_sends_exactly_one_mail_linking_to_the_post(
    persona,
    enrolled,
    item,
    account,
    fake,
    no_quiet_hours,
    django_capture_on_commit_callbacks,
    mailoutbox,
) -> None:
    from ambassade.sharing import actions as sharing_actions
    from ambassade.sharing import publishing
    from ambassade.sharing.actions.shares import TargetRequest
    from ambassade.sharing.networks.base import Rejected
    from ambassade.sharing.tests.conftest import PERSONAL, as_actor

    awake(enrolled)
    fake.script = [Rejected("Duplicate post")]
    share = sharing_actions.create_share(
        as_actor(enrolled), item, PERSONAL, [TargetRequest(account_id=account.pk)]
    )
    target = share.targets.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.publish(target.pk) == "failed:rejected"
    assert len(mailoutbox) == 1
    notice = Notification.objects.get(kind="share_failed")
    assert notice.url == f"/me/posts/#post-{target.pk}"
    assert "Duplicate post" in mailoutbox[0].body
    assert f"/me/posts/#post-{target.pk}" in mailoutbox[0].body
    assert "Change the message and share again." in mailoutbox[0].body


def test_charter_welcome_and_suggestion(persona, enrolled, program, produce, mailoutbox) -> None:
    from ambassade.programs.models import Enrolment

    awake(enrolled)
    enrolment = Enrolment.objects.get(person=enrolled)
    produce(
        "programs.enrolment_started",
        persona.organisation,
        enrolment_id=enrolment.pk,
        program_id=program.pk,
        person_id=enrolled.pk,
    )
    # As publish_charter leaves it: whoever accepted an older text waits to accept this one.
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.PAUSED)
    produce(
        "programs.charter_published",
        persona.organisation,
        program_id=program.pk,
        version=2,
        needs_reacceptance=True,
    )
    kinds = dict(Notification.objects.values_list("kind", "url"))
    assert kinds == {
        "charter_published": f"/me/enrolments/{enrolment.pk}/charter/",
        "welcome": "/feed/",
    }


def test_another_organisations_person_is_never_told(persona, item, produce, mailoutbox) -> None:
    elsewhere = OrganisationFactory()
    stranger = PersonFactory(organisation=elsewhere, with_user=True, roles=["ambassador"])
    produce(
        "sharing.account_needs_reconnection",
        persona.organisation,
        account_id=1,
        person_id=stranger.pk,
        network="fakenet",
    )
    assert not Notification.objects.exists()


def test_the_notice_is_written_in_the_readers_language(
    persona, enrolled, item, produce, mailoutbox
) -> None:
    awake(enrolled)
    user = enrolled.user
    user.language = "fr"
    user.save(update_fields=["language"])
    _feature(produce, item)
    assert Notification.objects.get().title == f"À la une : {item.title}"
    assert "Choisissez ce que vous recevez" in mailoutbox[0].body
