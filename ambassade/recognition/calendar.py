"""The program calendar: campaigns, challenges and scheduled content, on a month or a week
page and in an iCalendar feed that the program's owners subscribe to from their own
calendar application.

The feed's address holds a secret token; only its SHA-256 is stored, so the address is
shown once, when it is created, and revoking it makes it answer 404. Training modules
have no deadlines in this version, so the calendar has none to show.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from ambassade.content.models import ContentItem, Status
from ambassade.core import audit
from ambassade.core.authz import Actor, actor_for_person, allowed, allowed_on_program
from ambassade.programs.models import Program
from ambassade.recognition.models import CalendarFeed, Campaign, Challenge

# The feed holds this much of the past and of the future.
FEED_PAST = timedelta(days=180)
FEED_FUTURE = timedelta(days=400)
SCHEDULED = (Status.APPROVED, Status.PUBLISHED)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    """One thing on the calendar; ``last`` is its last day (inclusive)."""

    kind: str  # "campaign", "challenge", "content"
    uid: str
    title: str
    first: date
    last: date
    url: str = ""

    def on(self, day: date) -> bool:
        return self.first <= day <= self.last


def entries(program: Program, first: date, last: date) -> list[Entry]:
    """What happens in the program between these days (inclusive), by date."""
    found: list[Entry] = []
    domain = settings.BASE_URL.split("://", 1)[-1].split("/", 1)[0]
    campaigns = Campaign.objects.filter(
        program=program, archived=False, starts_on__lte=last, ends_on__gte=first
    )
    for campaign in campaigns:
        found.append(
            Entry(
                "campaign",
                f"campaign-{campaign.pk}@{domain}",
                campaign.name,
                campaign.starts_on,
                campaign.ends_on,
                reverse("recognition:campaign", args=[campaign.pk]),
            )
        )
    challenges = Challenge.objects.filter(
        program=program, archived=False, starts_on__lte=last, ends_on__gte=first
    )
    for challenge in challenges:
        found.append(
            Entry(
                "challenge",
                f"challenge-{challenge.pk}@{domain}",
                challenge.name,
                challenge.starts_on,
                challenge.ends_on,
                # Its campaign's page, which every console role reads (the form is the
                # managers' only).
                reverse("recognition:campaign", args=[challenge.campaign_id])
                if challenge.campaign_id is not None
                else "",
            )
        )
    start = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(last + timedelta(1), datetime.min.time(), tzinfo=UTC)
    # Scheduled content: the day an approved or published item goes live.
    items = ContentItem.objects.filter(
        Q(program=program, status__in=SCHEDULED, publish_from__gte=start, publish_from__lt=end)
    )
    for item in items.only("pk", "title", "publish_from"):
        assert item.publish_from is not None
        day = item.publish_from.astimezone(UTC).date()
        found.append(Entry("content", f"content-{item.pk}@{domain}", item.title, day, day))
    return sorted(found, key=lambda entry: (entry.first, entry.kind, entry.title))


def ical(program: Program, today: date | None = None) -> bytes:
    """The program's calendar as iCalendar: one all-day event per entry, its UID stable."""
    today = today or timezone.now().astimezone(UTC).date()
    calendar = Calendar()
    calendar.add("prodid", "-//Ambassade//Program calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", program.name)
    stamp = timezone.now().astimezone(UTC).replace(microsecond=0)
    for entry in entries(program, today - FEED_PAST, today + FEED_FUTURE):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("summary", entry.title)
        event.add("dtstart", entry.first)
        # DTEND of an all-day event is the day after the last.
        event.add("dtend", entry.last + timedelta(1))
        event.add("categories", [entry.kind])
        if entry.url:
            event.add("url", settings.BASE_URL.rstrip("/") + entry.url)
        calendar.add_component(event)
    return calendar.to_ical()


@transaction.atomic
def create_feed(actor: Actor, program: Program) -> tuple[CalendarFeed, str]:
    """A new secret address of the program's calendar; the token is returned only here."""
    if not allowed_on_program(actor, "recognition.view", program) or actor.person is None:
        raise PermissionDenied
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        program=program, owner=actor.person, token_hash=token_hash(token)
    )
    audit.record(
        "recognition.calendar_feed_created",
        organisation=actor.organisation,
        actor=actor,
        target=program,
        after={"feed": feed.pk},
    )
    return feed, token


@transaction.atomic
def revoke_feed(actor: Actor, feed: CalendarFeed) -> CalendarFeed:
    """Its owner, or a recognition manager, revokes an address; it then answers 404."""
    program = feed.program
    if not allowed_on_program(actor, "recognition.view", program):
        raise PermissionDenied
    owner = actor.person is not None and feed.owner_id == actor.person.pk
    if not owner and not allowed(actor, "recognition.manage"):
        raise PermissionDenied
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit.record(
            "recognition.calendar_feed_revoked",
            organisation=actor.organisation,
            actor=actor,
            target=program,
            after={"feed": feed.pk},
        )
    return feed


def feed_path(token: str) -> str:
    return reverse("recognition:calendar_feed", args=[token])


def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET /calendar/<token>.ics: no sign-in, the token is the key."""
    feed = (
        CalendarFeed.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .select_related("program", "owner__organisation")
        .first()
    )
    # The address works as long as its owner could still open the calendar: it stops
    # with their role, their departure or their erasure, not only when revoked.
    if feed is None or feed.owner.anonymised_at is not None:
        raise Http404
    if not allowed_on_program(actor_for_person(feed.owner), "recognition.view", feed.program):
        raise Http404
    response = HttpResponse(ical(feed.program), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
