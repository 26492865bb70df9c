"""When a post may go out: quiet hours, daily caps, the stagger between colleagues, the queue."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta, tzinfo

from django.utils import timezone

from ambassade.people.models import Person
from ambassade.sharing.models import QueueSlot, ShareTarget, SharingSettings, TargetStatus

ACTIVE = (
    TargetStatus.SCHEDULED,
    TargetStatus.QUEUED,
    TargetStatus.PUBLISHING,
    TargetStatus.PUBLISHED,
    TargetStatus.PAUSED,
)


def zone_of(person: Person) -> tzinfo:
    name = getattr(person.user, "time_zone", "") if person.user_id else ""
    try:
        return zoneinfo.ZoneInfo(name) if name else timezone.get_default_timezone()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def in_quiet_hours(options: SharingSettings, moment: datetime, tz: tzinfo) -> bool:
    start, end = options.quiet_start, options.quiet_end
    if start is None or end is None or start == end:
        return False
    local = moment.astimezone(tz).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def after_quiet_hours(options: SharingSettings, moment: datetime, tz: tzinfo) -> datetime:
    """The moment itself, or the end of the quiet hours it falls in."""
    if not in_quiet_hours(options, moment, tz):
        return moment
    assert options.quiet_end is not None
    local = moment.astimezone(tz)
    candidate = datetime.combine(local.date(), options.quiet_end, tzinfo=tz)
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate


def staggered(
    options: SharingSettings, organisation_id: int, item_id: int, network: str, moment: datetime
) -> datetime:
    """The first moment from ``moment`` at least the gap away from every colleague's post
    of the same item on the same network (the next free slot)."""
    gap = timedelta(minutes=options.stagger_minutes)
    if not gap:
        return moment
    taken: list[datetime] = sorted(
        moment_
        for moment_ in ShareTarget.objects.filter(
            organisation_id=organisation_id,
            share__item_id=item_id,
            network=network,
            status__in=ACTIVE,
            scheduled_at__gt=moment - gap,
        ).values_list("scheduled_at", flat=True)
        if moment_ is not None
    )
    candidate = moment
    for other in taken:
        if abs(other - candidate) < gap:
            candidate = other + gap
    return candidate


def next_queue_slot(person: Person, after: datetime | None = None) -> datetime | None:
    """The next slot of the person's weekly schedule with nothing queued in it."""
    slots = list(QueueSlot.objects.filter(person=person))
    if not slots:
        return None
    tz = zone_of(person)
    start = (after or timezone.now()).astimezone(tz)
    taken = set(
        ShareTarget.objects.filter(
            share__person=person, status__in=ACTIVE, scheduled_at__gte=start
        ).values_list("scheduled_at", flat=True)
    )
    for day in range(0, 28):
        date = (start + timedelta(days=day)).date()
        for slot in slots:
            if slot.weekday != date.weekday():
                continue
            moment = datetime.combine(date, slot.at, tzinfo=tz)
            if moment > start and moment not in taken:
                return moment
    return None


def parse_local(value: str, tz: tzinfo) -> datetime | None:
    """'2026-11-23T09:30' typed in the person's time zone."""
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        return None
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=tz)


def default_slots() -> list[tuple[int, time]]:
    return [(day, time(9, 0)) for day in range(5)]
