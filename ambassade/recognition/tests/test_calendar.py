"""The program calendar: its month and week pages, and its iCalendar feed, created from the
calendar page (shown once), parsed back with the icalendar library, revocable; a wrong or
revoked address answers 404."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core.authz import actor_for_person
from ambassade.core.models import AuditEvent
from ambassade.recognition import campaigns
from ambassade.recognition.models import CalendarFeed
from ambassade.recognition.tests.campaign_fixtures import days, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(persona, program, item):
    marketer = actor_for_person(persona.marketer)
    campaign = campaigns.create_campaign(
        marketer,
        program,
        name="Salon Industrie Lyon",
        items=[item],
        goal_human_clicks=200,
        **days(2, 4),
    )
    challenge = campaigns.create_challenge(
        marketer, program, name="Clics du salon", campaign=campaign, target=50, **days(3, 4)
    )
    scheduled = ContentItem.objects.create(
        organisation=persona.organisation,
        program=program,
        kind=Kind.ARTICLE,
        status=Status.APPROVED,
        title="Programme du salon",
        url="https://verdier.example/salon",
        language="fr",
        publish_from=datetime.combine(today() + timedelta(2), time(9), tzinfo=UTC),
    )
    return campaign, challenge, scheduled


def new_feed_url(client, program) -> str:
    answer = client.post("/console/recognition/calendar/feeds", {"program": program.pk})
    assert answer.status_code == 302
    page = client.get(answer["Location"]).content.decode()
    found = re.search(r'value="(https?://[^"]+/calendar/[^"]+\.ics)"', page)
    assert found, page
    # Shown once: the next visit no longer holds it.
    assert found[1] not in client.get(answer["Location"]).content.decode()
    return found[1].split("://", 1)[1].split("/", 1)[1]


def test_the_feed_parses_back_and_can_be_revoked(persona, program, planned, client_for) -> None:
    campaign, challenge, scheduled = planned
    marketer = client_for(persona.marketer)
    path = "/" + new_feed_url(marketer, program)
    feed = CalendarFeed.objects.get()
    assert path.split("/")[-1].removesuffix(".ics") not in feed.token_hash

    answer = Client().get(path)  # nobody signed in: the token is the key
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(answer.content)
    events = {str(event["SUMMARY"]): event for event in parsed.walk("VEVENT")}
    assert set(events) == {campaign.name, challenge.name, scheduled.title}
    shown = events[campaign.name]
    assert shown.decoded("DTSTART") == campaign.starts_on
    assert shown.decoded("DTEND") == campaign.ends_on + timedelta(1)
    assert events[challenge.name].decoded("DTSTART") == challenge.starts_on
    assert events[scheduled.title].decoded("DTSTART") == today() + timedelta(2)
    assert str(shown["UID"]).startswith(f"campaign-{campaign.pk}@")
    # The same object keeps its UID from one fetch to the next.
    again = Calendar.from_ical(marketer.get(path).content)
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == {
        str(e["UID"]) for e in parsed.walk("VEVENT")
    }

    assert marketer.get(path.replace(".ics", "x.ics")).status_code == 404
    assert marketer.get("/calendar/not-a-token.ics").status_code == 404
    revoked = marketer.post(f"/console/recognition/calendar/feeds/{feed.pk}/revoke")
    assert revoked.status_code == 302
    assert marketer.get(path).status_code == 404
    assert AuditEvent.objects.filter(action="recognition.calendar_feed_revoked").count() == 1


def test_another_persons_feed_is_not_theirs_to_revoke(persona, program, client_for) -> None:
    path = "/" + new_feed_url(client_for(persona.coach), program)
    feed = CalendarFeed.objects.get()
    assert (
        client_for(persona.sales)
        .post(f"/console/recognition/calendar/feeds/{feed.pk}/revoke")
        .status_code
        == 403
    )
    assert (
        client_for(persona.outsider)
        .post(f"/console/recognition/calendar/feeds/{feed.pk}/revoke")
        .status_code
        == 404
    )
    assert client_for(persona.sales).get(path).status_code == 200
    # The coach loses the role that opened the calendar: the address stops answering.
    persona.coach.role_assignments.all().delete()
    assert Client().get(path).status_code == 404
    assert (
        client_for(persona.ambassador)
        .post("/console/recognition/calendar/feeds", {"program": program.pk})
        .status_code
        == 403
    )


def test_month_and_week_pages_show_the_campaign(persona, program, planned, client_for) -> None:
    campaign, challenge, _scheduled = planned
    client = client_for(persona.comms)
    start = campaign.starts_on
    month = client.get(f"/console/recognition/calendar/?program={program.pk}&month={start:%Y-%m}")
    assert month.status_code == 200
    page = month.content.decode()
    assert campaign.name in page and challenge.name in page and "<caption>" in page
    year, week, _day = start.isocalendar()
    weekly = client.get(
        f"/console/recognition/calendar/?program={program.pk}&week={year}-W{week:02d}"
    ).content.decode()
    assert campaign.name in weekly
    far = client.get(f"/console/recognition/calendar/?program={program.pk}&month=2001-01")
    assert campaign.name not in far.content.decode()
    for odd in ("month=2026-13", "month=9999-12", "month=0001-01", "week=9999-W52", "week=x"):
        wrong = client.get(f"/console/recognition/calendar/?program={program.pk}&{odd}")
        assert wrong.status_code == 200, odd
        assert "That date is not one we can show" in wrong.content.decode(), odd
    assert client.get("/console/recognition/calendar/?program=999999").status_code == 404
    assert client_for(persona.ambassador).get("/console/recognition/calendar/").status_code == 403
