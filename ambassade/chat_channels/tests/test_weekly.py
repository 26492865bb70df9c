"""The weekly summary: Monday morning in the organisation's time zone, the analytics'
figures of the last full week, once a week; old deliveries forgotten after 30 days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ambassade.analytics.models import DailyShareStats
from ambassade.chat_channels.models import ChatChannel, ChatDelivery
from ambassade.chat_channels.tasks import forget_old_deliveries, send_summaries
from ambassade.chat_channels.tests.receiver import receive, slack_problems

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MONDAY_MORNING = datetime(2026, 3, 9, 9, 0, tzinfo=PARIS)


@pytest.fixture
def figures(persona, program) -> None:
    def day(when: date, **counts: int) -> None:
        DailyShareStats.objects.create(
            organisation=persona.organisation,
            program=program,
            day=when,
            network="mastodon",
            **counts,
        )

    day(date(2026, 3, 2), shares_published=3, human_clicks=40, likes=5)  # last week, Monday
    day(date(2026, 3, 8), shares_declared=1, human_clicks=2)  # last week, Sunday
    day(date(2026, 2, 27), shares_published=2, human_clicks=10)  # the week before
    day(date(2026, 3, 9), shares_published=50)  # this week: not yet in the summary


def test_monday_morning_posts_last_weeks_figures_once(connect, figures) -> None:
    with receive(check=slack_problems) as slack:
        channel = connect("slack", slack.url)
        assert send_summaries(MONDAY_MORNING - timedelta(days=1)) == 0  # Sunday
        assert send_summaries(MONDAY_MORNING - timedelta(hours=3)) == 0  # 6 a.m.
        assert send_summaries(MONDAY_MORNING) == 1
        assert send_summaries(MONDAY_MORNING + timedelta(hours=1)) == 0  # done this week
    assert slack.problems == []
    [message] = slack.received
    text = str(message)
    assert "Marque employeur : la semaine du 02/03/2026 au 08/03/2026" in text
    fields = [field["text"] for field in message["blocks"][1]["fields"]]
    assert "*Partages*\n4 (semaine précédente : 2)" in fields
    assert "*Clics humains*\n42 (semaine précédente : 10)" in fields
    figures_page = reverse("analytics:program", args=[channel.program_id])
    assert message["blocks"][2]["elements"][0]["url"] == settings.BASE_URL + figures_page
    channel.refresh_from_db()
    assert channel.last_summary_week == date(2026, 3, 9)


def test_a_failing_summary_is_tried_again_the_next_hour(connect, figures) -> None:
    with receive(503, 200) as slack:
        channel = connect("slack", slack.url)
        assert send_summaries(MONDAY_MORNING) == 0
        channel.refresh_from_db()
        assert (channel.last_status, channel.consecutive_failures) == (503, 1)
        assert send_summaries(MONDAY_MORNING + timedelta(hours=1)) == 1
    channel.refresh_from_db()
    assert (channel.last_status, channel.consecutive_failures) == (200, 0)


def test_channels_without_the_summary_get_nothing(connect, figures) -> None:
    with receive() as slack:
        connect("slack", slack.url, send_weekly=False)
        assert send_summaries(MONDAY_MORNING) == 0
    assert slack.received == []


def test_deliveries_are_kept_30_days(stored) -> None:
    channel = stored("slack", "https://hooks.slack.com/services/T0/B0/x")
    old = ChatDelivery.objects.create(
        organisation=channel.organisation, channel=channel, what="test", ok=True
    )
    ChatDelivery.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=31))
    ChatDelivery.objects.create(
        organisation=channel.organisation, channel=channel, what="test", ok=True
    )
    assert forget_old_deliveries.call() == 1
    assert ChatDelivery.objects.count() == 1
    assert ChatChannel.objects.count() == 1


def test_a_summary_being_posted_by_another_run_is_not_posted_again(connect, figures) -> None:
    with receive() as slack:
        channel = connect("slack", slack.url)
        # Another run of the hourly job claimed the channel and is posting right now.
        ChatChannel.objects.filter(pk=channel.pk).update(summary_claimed_at=MONDAY_MORNING)
        assert send_summaries(MONDAY_MORNING + timedelta(minutes=1)) == 0
        assert slack.received == []
        # That run was killed: its claim expires and the next hour posts the summary.
        assert send_summaries(MONDAY_MORNING + timedelta(hours=1)) == 1
        assert send_summaries(MONDAY_MORNING + timedelta(hours=2)) == 0
    assert len(slack.received) == 1
    channel.refresh_from_db()
    assert (channel.summary_claimed_at, channel.last_summary_week) == (None, date(2026, 3, 9))


def test_a_featured_post_still_being_tried_is_not_forgotten(stored) -> None:
    channel = stored("slack", "https://hooks.slack.com/services/T0/B0/x")
    waiting = ChatDelivery.objects.create(
        organisation=channel.organisation,
        channel=channel,
        what="featured",
        event_id=1,
        status=ChatDelivery.Status.PENDING,
        attempts=3,
    )
    ChatDelivery.objects.filter(pk=waiting.pk).update(at=timezone.now() - timedelta(days=31))
    assert forget_old_deliveries.call() == 0
    assert ChatDelivery.objects.filter(pk=waiting.pk).exists()
