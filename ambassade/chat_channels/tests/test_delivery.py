"""Featured content reaches Slack and Teams: the messages' shapes, retries without
double posts, 4xx refusals recorded without retry, and the pause after ten failures in
a row. (The concurrent claim on PostgreSQL is in test_claims.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ambassade.chat_channels import sending
from ambassade.chat_channels.models import PAUSE_AFTER, ChatChannel, ChatDelivery
from ambassade.chat_channels.subscribers import post_featured_item
from ambassade.chat_channels.tasks import retry_due_deliveries
from ambassade.chat_channels.tests.conftest import IMMEDIATE
from ambassade.chat_channels.tests.receiver import receive, slack_problems, teams_problems
from ambassade.core import events
from ambassade.core.models import EventDelivery
from ambassade.programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def feature(settings, django_capture_on_commit_callbacks):
    """feature(item) -> records content.item_featured as the content action does."""
    settings.TASKS = IMMEDIATE

    def record(item, program_ids=None):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return events.record(
                "content.item_featured",
                item.organisation,
                item_id=item.pk,
                title=item.title,
                program_ids=[item.program_id] if program_ids is None else program_ids,
            )

    return record


def _spine_delivery(event) -> EventDelivery:
    return EventDelivery.objects.get(
        event=event, subscriber=events.subscriber_key(post_featured_item)
    )


def test_slack_gets_block_kit_with_the_image_and_a_share_button(connect, item, feature) -> None:
    with receive(check=slack_problems) as slack:
        channel = connect("slack", slack.url)
        feature(item)
    assert slack.problems == []
    [message] = slack.received
    section = message["blocks"][0]
    assert "Nous recrutons à Lyon" in section["text"]["text"]
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in section["text"]["text"]  # mrkdwn escaped
    assert section["accessory"]["image_url"] == f"{settings.BASE_URL}/media/previews/lyon.png"
    assert section["accessory"]["alt_text"] == "L'usine de Lyon"
    [actions] = [block for block in message["blocks"] if block["type"] == "actions"]
    share = actions["elements"][0]
    assert share["text"]["text"] == "Partager"  # the organisation's language: French
    assert share["url"] == f"{settings.BASE_URL}/share/{item.pk}/"
    channel.refresh_from_db()
    assert (channel.last_status, channel.last_error, channel.consecutive_failures) == (200, "", 0)
    assert ChatDelivery.objects.get(channel=channel).ok


def test_teams_gets_an_adaptive_card_in_the_workflows_envelope(connect, item, feature) -> None:
    with receive(check=teams_problems) as teams:
        connect("teams", teams.url)
        feature(item)
    assert teams.problems == []
    [message] = teams.received
    card = message["attachments"][0]["content"]
    assert card["version"] == "1.5"
    assert card["body"][0]["text"] == "À la une : Nous recrutons à Lyon"
    assert card["body"][1] == {
        "type": "Image",
        "url": f"{settings.BASE_URL}/media/previews/lyon.png",
        "altText": "L'usine de Lyon",
    }
    assert card["actions"][0] == {
        "type": "Action.OpenUrl",
        "title": "Partager",
        "url": f"{settings.BASE_URL}/share/{item.pk}/",
    }


def _later(minutes: int):
    return timezone.now() + timedelta(minutes=minutes)


def _wait_out_backoff() -> None:
    """As if the waits were over: the rows waiting for a retry are due now."""
    assert sending.due() == []
    ChatDelivery.objects.filter(status="pending").update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_a_500_is_retried_until_delivered_without_holding_up_the_spine(
    connect, item, feature
) -> None:
    with receive(500, 200, check=slack_problems) as slack:
        channel = connect("slack", slack.url)
        event = feature(item)
        assert _spine_delivery(event).status == "done"  # the spine is done with it
        row = ChatDelivery.objects.get(channel=channel)
        assert (row.status, row.attempts, row.status_code, row.ok) == ("pending", 1, 500, False)
        assert "(500)" in row.error
        assert row.next_attempt_at is not None
        assert row.next_attempt_at > timezone.now()
        assert sending.due() == []  # not before its backoff
        assert sending.due(_later(2)) == [row.pk]
        _wait_out_backoff()
        assert retry_due_deliveries.call() == 1  # the periodic job; its task runs at once
    row.refresh_from_db()
    assert (row.status, row.attempts, row.status_code, row.ok, row.error) == (
        "done",
        2,
        200,
        True,
        "",
    )
    assert len(slack.received) == 2
    assert slack.received[0] == slack.received[1]
    channel.refresh_from_db()
    assert (channel.last_status, channel.consecutive_failures) == (200, 0)


def test_one_channel_failing_never_makes_another_post_twice(connect, item, feature) -> None:
    with receive(500, 200) as flaky, receive(200) as steady:
        first = connect("slack", flaky.url, name="#flaky")
        second = connect("teams", steady.url, name="#steady")
        feature(item)
        assert (len(flaky.received), len(steady.received)) == (1, 1)
        # The retry job, later: only the failed channel is tried again, and succeeds.
        assert sending.due(_later(2)) == [ChatDelivery.objects.get(channel=first).pk]
        _wait_out_backoff()
        assert retry_due_deliveries.call() == 1
        assert sending.due(_later(600)) == []  # nothing more to send, ever
    assert len(steady.received) == 1  # exactly one post each
    assert len(flaky.received) == 2  # the 500, then the one successful post
    assert ChatDelivery.objects.get(channel=second).ok
    assert ChatDelivery.objects.get(channel=first).ok


def test_the_subscriber_run_twice_writes_one_delivery_per_channel(
    connect, item, feature, django_capture_on_commit_callbacks
) -> None:
    with receive() as one, receive() as two:
        connect("slack", one.url, name="#un")
        connect("slack", two.url, name="#deux")
        event = feature(item)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            post_featured_item(event)  # as if the spine ran it again
    assert ChatDelivery.objects.filter(event_id=event.pk).count() == 2
    assert (len(one.received), len(two.received)) == (1, 1)


def test_a_row_is_claimed_once_and_an_abandoned_claim_expires(connect, item, feature) -> None:
    with receive() as slack:
        channel = connect("slack", slack.url)
        with transaction.atomic():  # written, but its task not run (say, the queue was down)
            event = events.record("content.item_featured", item.organisation, item_id=item.pk)
        events.deliver(_spine_delivery(event).pk)
        row = ChatDelivery.objects.get(channel=channel)
        now = timezone.now()
        assert sending.claim(row.pk, now) is not None
        assert sending.claim(row.pk, now) is None  # a second worker gets nothing
        assert sending.send(row.pk) == "not due"
        assert slack.received == []
        # The worker was killed mid-call: after STALE_AFTER the row is sent again.
        later = now + sending.STALE_AFTER + timedelta(seconds=1)
        assert sending.due(later) == [row.pk]
        assert retry_due_deliveries.call() == 0  # not yet
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sending", 1)


def test_after_about_two_hours_the_failure_counts_towards_the_pause(connect, item, feature) -> None:
    with receive(503) as down:
        channel = connect("slack", down.url)
        feature(item)
        row = ChatDelivery.objects.get(channel=channel)
        while row.status == "pending":
            assert row.next_attempt_at is not None
            assert sending.due(row.next_attempt_at) == [row.pk]
            ChatDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
            sending.send(row.pk)
            row.refresh_from_db()
            channel.refresh_from_db()
            if row.status == "pending":
                assert channel.consecutive_failures == 0  # not final yet
    assert (row.status, row.attempts, row.ok, row.status_code) == (
        "done",
        sending.MAX_ATTEMPTS,
        False,
        503,
    )
    assert sum(sending.BACKOFF, timedelta()) == timedelta(minutes=127)
    assert len(down.received) == sending.MAX_ATTEMPTS
    channel.refresh_from_db()
    assert (channel.last_status, channel.consecutive_failures) == (503, 1)


def test_an_item_unfeatured_before_its_retry_is_not_posted(connect, item, feature) -> None:
    with receive(500, 200) as slack:
        channel = connect("slack", slack.url)
        feature(item)
        item.featured = False
        item.save()
        row = ChatDelivery.objects.get(channel=channel)
        _wait_out_backoff()
        assert sending.send(row.pk) == "cancelled"
    row.refresh_from_db()
    assert row.status == "cancelled"
    assert len(slack.received) == 1


def test_a_4xx_is_recorded_in_plain_words_and_not_retried(connect, item, feature) -> None:
    with receive(404) as gone:
        channel = connect("slack", gone.url)
        event = feature(item)
    assert _spine_delivery(event).status == "done"
    channel.refresh_from_db()
    assert channel.last_status == 404
    assert "no longer exists" in channel.last_error or "n'existe plus" in channel.last_error
    assert channel.consecutive_failures == 1
    assert len(gone.received) == 1


def test_ten_failures_in_a_row_pause_the_channel_and_tell_the_admins(
    connect, item, feature, persona, mailoutbox
) -> None:
    with receive(403) as refusing:
        channel = connect("teams", refusing.url, name="Équipe RH")
        ChatChannel.objects.filter(pk=channel.pk).update(consecutive_failures=PAUSE_AFTER - 1)
        feature(item)
        channel.refresh_from_db()
        assert channel.paused_at is not None
        assert channel.consecutive_failures == PAUSE_AFTER
        [mail] = mailoutbox
        assert mail.to == [persona.admin.email]
        assert "Équipe RH" in mail.subject
        feature(item)  # paused: nothing more is sent
    assert len(refusing.received) == 1


def test_only_the_channels_of_the_items_programs_get_it(
    connect, item, feature, persona, program
) -> None:
    other = Program.objects.create(organisation=persona.organisation, name="Ventes")
    with receive() as ours:
        connect("slack", ours.url)
        feature(item, program_ids=[other.pk])
        assert ours.received == []
        feature(item, program_ids=[])  # for every program
        assert len(ours.received) == 1


def test_an_item_no_longer_featured_is_not_posted(connect, item, feature) -> None:
    with receive() as slack:
        connect("slack", slack.url, send_featured=True)
        item.featured = False
        item.save()
        feature(item)
    assert slack.received == []
