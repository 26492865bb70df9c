"""Featured content reaches Slack and Teams: the messages' shapes, the spine's retries,
4xx refusals recorded without retry, and the pause after ten failures in a row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ambassade.chat_channels.models import PAUSE_AFTER, ChatChannel, ChatDelivery
from ambassade.chat_channels.subscribers import post_featured_item
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


def test_a_500_is_retried_by_the_event_spine_until_delivered(connect, item, feature) -> None:
    with receive(500, 200, check=slack_problems) as slack:
        channel = connect("slack", slack.url)
        event = feature(item)
        spine = _spine_delivery(event)
        assert (spine.status, spine.attempts) == ("pending", 1)
        assert "(500)" in spine.last_error
        assert not ChatDelivery.objects.exists()  # the failed attempt left nothing half-written
        assert events.redeliver(timezone.now() + timedelta(hours=1)) == 1
    spine.refresh_from_db()
    assert (spine.status, spine.attempts) == ("done", 2)
    assert len(slack.received) == 2
    assert slack.received[0] == slack.received[1]
    delivery = ChatDelivery.objects.get(channel=channel)
    assert (delivery.ok, delivery.status_code, delivery.event_id) == (True, 200, event.pk)


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
