"""An archived or expired item is not published any more: its waiting posts are cancelled
(their authors told, in their language) and its tracked links withdrawn, through the
content events (core/events.py); the engine also checks the item when it claims a post."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ambassade.content import actions as content_actions
from ambassade.content.models import ContentItem, Status
from ambassade.core.models import EventDelivery
from ambassade.sharing import publishing
from ambassade.sharing.models import ShareTarget, SharingSettings, TargetStatus
from ambassade.sharing.tests.colleagues import MESSAGES, colleagues, share
from ambassade.sharing.tests.conftest import as_actor
from ambassade.tracking.models import TrackedLink, TrackingSettings

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def rules(persona) -> SharingSettings:
    return SharingSettings.objects.create(
        organisation=persona.organisation, quiet_start=None, quiet_end=None
    )


@pytest.fixture
def waiting(persona, program, item, fake, rules, settings, django_capture_on_commit_callbacks):
    """Three colleagues' posts of the item: published, scheduled (French), paused."""
    settings.TASKS = IMMEDIATE
    (done, done_account), (later, later_account), (paused, paused_account) = colleagues(
        persona, program, 3
    )
    later.user.language = "fr"
    later.user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        published = share(done, item, done_account, MESSAGES[0])
    scheduled = share(
        later,
        item,
        later_account,
        MESSAGES[1],
        when="schedule",
        at=timezone.now() + timedelta(hours=3),
    )
    on_hold = share(
        paused,
        item,
        paused_account,
        MESSAGES[2],
        when="schedule",
        at=timezone.now() + timedelta(hours=4),
    )
    ShareTarget.objects.filter(pk=on_hold.pk).update(status=TargetStatus.PAUSED)
    published.refresh_from_db()
    assert published.status == TargetStatus.PUBLISHED
    return {"published": published, "scheduled": scheduled, "paused": on_hold}


def _statuses(targets: dict[str, ShareTarget]) -> dict[str, str]:
    for target in targets.values():
        target.refresh_from_db()
    return {name: target.status for name, target in targets.items()}


def _check_withdrawn(persona: Any, item: ContentItem, waiting: dict, mailoutbox: list) -> None:
    assert _statuses(waiting) == {
        "published": TargetStatus.PUBLISHED,
        "scheduled": TargetStatus.CANCELLED,
        "paused": TargetStatus.CANCELLED,
    }
    assert sorted(message.to[0] for message in mailoutbox) == [
        "colleague1@example.com",
        "colleague2@example.com",
    ]
    french = next(message for message in mailoutbox if message.to == ["colleague1@example.com"])
    assert french.subject == f"Votre publication de « {item.title} » est annulée"
    assert "ne sera pas publié" in french.body
    links = TrackedLink.objects.filter(content_item_id=item.pk)
    assert links.count() == 3
    assert not links.filter(withdrawn_at__isnull=True).exists()
    # Visitors of the published post's link get the organisation's fallback page.
    response = Client().get(
        f"/r/{waiting['published'].tracked_link.code}",
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    )
    assert (response.status_code, response["Location"]) == (302, "https://careers.example.com/")
    assert not EventDelivery.objects.filter(status="pending").exists()


def test_archiving_an_item_cancels_its_waiting_posts_and_withdraws_its_links(
    persona, item, waiting, fake, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    TrackingSettings.objects.create(
        organisation=persona.organisation,
        withdrawn_response="fallback",
        fallback_url="https://careers.example.com/",
    )
    with django_capture_on_commit_callbacks(execute=True):
        content_actions.archive(as_actor(persona.admin), item)
    _check_withdrawn(persona, item, waiting, mailoutbox)
    assert len(fake.posted) == 1


def test_an_expired_item_s_waiting_posts_are_cancelled_and_links_withdrawn(
    persona, item, waiting, fake, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    TrackingSettings.objects.create(
        organisation=persona.organisation,
        withdrawn_response="fallback",
        fallback_url="https://careers.example.com/",
    )
    ContentItem.objects.filter(pk=item.pk).update(
        publish_until=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert content_actions.expire_due() == 1
    item.refresh_from_db()
    assert item.status == Status.EXPIRED
    _check_withdrawn(persona, item, waiting, mailoutbox)


def test_a_post_of_an_item_archived_before_its_event_is_delivered_is_not_published(
    persona, program, item, fake, rules, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    [(person, account)] = colleagues(persona, program, 1)
    target = share(person, item, account)
    assert target.status == TargetStatus.QUEUED
    content_actions.archive(as_actor(persona.admin), item)  # the database queue: not yet run
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.publish(target.pk) == "withdrawn"
    target.refresh_from_db()
    assert target.status == TargetStatus.CANCELLED
    assert fake.posted == []
    assert [message.to for message in mailoutbox] == [[person.email]]


def test_a_post_whose_item_window_closed_is_not_published_before_the_expiry_job(
    persona, program, item, fake, rules, django_capture_on_commit_callbacks
) -> None:
    [(person, account)] = colleagues(persona, program, 1)
    target = share(person, item, account)
    ContentItem.objects.filter(pk=item.pk).update(
        publish_until=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert publishing.publish(target.pk) == "withdrawn"
    target.refresh_from_db()
    assert target.status == TargetStatus.CANCELLED
    assert "expired" in target.failure_reason
    assert fake.posted == []
