"""Read-only questions of the digest: who is due now, what is new for them, their week."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q

from ambassade.analytics.figures import SUMS
from ambassade.analytics.models import DailyShareStats
from ambassade.content import selectors as content_selectors
from ambassade.content.models import ContentItem, Kind
from ambassade.digests.models import (
    DEFAULT_HOUR,
    DEFAULT_WEEKDAY,
    DigestSent,
    DigestSubscription,
    Frequency,
)
from ambassade.digests.schedule import Period, due_period, zone_named
from ambassade.people.models import EmploymentStatus, Person
from ambassade.programs.models import Enrolment
from ambassade.sharing.models import Share

MAX_ITEMS = 5


@dataclass(frozen=True)
class Settings:
    """A person's digest settings, whether or not they ever saved them."""

    frequency: str
    weekday: int
    hour: int
    saved: bool


def settings_of(person: Person) -> Settings:
    found = DigestSubscription.objects.filter(person=person).first()
    if found is not None:
        frequency = Frequency.OFF if found.unsubscribed_at else found.frequency
        return Settings(frequency, found.weekday, found.hour, saved=True)
    enrolled = Enrolment.objects.filter(person=person, status=Enrolment.Status.ACTIVE).exists()
    default = Frequency.WEEKLY if enrolled else Frequency.OFF
    return Settings(default, DEFAULT_WEEKDAY, DEFAULT_HOUR, saved=False)


@dataclass(frozen=True)
class Due:
    person_id: int
    period: Period


def due_now(now: datetime) -> Iterator[Due]:
    """Everyone whose digest is due at ``now`` in their own time zone and not yet claimed.

    One query for the candidates (a saved subscription that is on, or no row and an
    active enrolment: the weekly default), the schedule in Python, one query per
    thousand people for the periods already claimed.
    """
    enrolled = Exists(
        Enrolment.objects.filter(person_id=OuterRef("pk"), status=Enrolment.Status.ACTIVE)
    )
    rows = (
        Person.objects.exclude(employment_status=EmploymentStatus.LEFT)
        .exclude(email="")
        .alias(has_enrolment=enrolled)
        .filter(
            Q(digest_subscription__isnull=True, has_enrolment=True)
            | Q(
                digest_subscription__unsubscribed_at__isnull=True,
                digest_subscription__frequency__in=[Frequency.DAILY, Frequency.WEEKLY],
            )
        )
        .order_by("pk")
        .values_list(
            "pk",
            "user__time_zone",
            "organisation__time_zone",
            "digest_subscription__frequency",
            "digest_subscription__weekday",
            "digest_subscription__hour",
        )
    )
    pending: list[Due] = []
    for pk, own_zone, organisation_zone, frequency, weekday, hour in rows.iterator(2000):
        period = due_period(
            frequency or Frequency.WEEKLY,
            DEFAULT_WEEKDAY if weekday is None else weekday,
            DEFAULT_HOUR if hour is None else hour,
            zone_named(own_zone or "", organisation_zone or ""),
            now,
        )
        if period is not None:
            pending.append(Due(pk, period))
        if len(pending) >= 1000:
            yield from _unclaimed(pending)
            pending = []
    yield from _unclaimed(pending)


def _unclaimed(candidates: list[Due]) -> list[Due]:
    if not candidates:
        return []
    claimed = set(
        DigestSent.objects.filter(
            person_id__in=[due.person_id for due in candidates],
            period__in={due.period.key for due in candidates},
        ).values_list("person_id", "period")
    )
    return [due for due in candidates if (due.person_id, due.period.key) not in claimed]


def last_claims(person_ids: list[int]) -> dict[int, datetime]:
    """{person id: when their last digest was claimed}, for "new since the last one"."""
    rows = (
        DigestSent.objects.filter(person_id__in=person_ids)
        .order_by("person_id", "-claimed_at")
        .values_list("person_id", "claimed_at")
    )
    found: dict[int, datetime] = {}
    for person_id, claimed_at in rows:
        found.setdefault(person_id, claimed_at)
    return found


def new_items(person: Person, since: datetime) -> list[ContentItem]:
    """At most five items for the digest, featured first: the person's feed (published,
    in its window, targeted at them, not hidden), published since ``since``, that they
    can share with one tap (the composer's own conditions) and have not shared yet."""
    audience = content_selectors.audience_of(person)
    if not audience.enrolled_program_ids:
        return []
    items = (
        content_selectors.feed(audience)
        .prefetch_related(None)
        .filter(program_id__in=audience.enrolled_program_ids, published_at__gt=since)
        .exclude(kind=Kind.INTERNAL_NEWS)
        .exclude(Exists(Share.objects.filter(person_id=person.pk, item_id=OuterRef("pk"))))
        .order_by("-featured", "-published_at", "-id")
    )
    return list(items[:MAX_ITEMS])


@dataclass(frozen=True)
class Week:
    posts: int
    human_clicks: int


def week_of(person: Person, today: date) -> Week:
    """The person's posts and human clicks of the last seven days, as the analytics
    dashboards count them (the daily rollup: published plus declared shares; clicks
    without robots and link previews)."""
    totals = DailyShareStats.objects.filter(
        organisation_id=person.organisation_id,
        person=person,
        day__range=(today - timedelta(days=6), today),
    ).aggregate(**{name: SUMS[name] for name in SUMS if name != "conversion_value"})
    return Week(
        posts=totals["shares_published"] + totals["shares_declared"],
        human_clicks=totals["human_clicks"],
    )
