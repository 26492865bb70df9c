"""When a post may go out: quiet hours, daily caps, the stagger between colleagues, the queue.

The same rules hold when composing (``plan``) and when the publishing task claims a
target (``claim_time``). Decisions that read other targets (the cap, the stagger) are
taken under ``hold``: one at a time per person and per item.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta, tzinfo

from django.db import connection
from django.utils import timezone

from ambassade.content.models import ContentItem
from ambassade.people.models import Person
from ambassade.sharing.models import QueueSlot, ShareTarget, SharingSettings, TargetStatus
from ambassade.sharing.selectors import OUT, posts_on_day

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


MAX_STEPS = 400  # moves of one planning; a day of 10-minute slots is 144


def hold(person_id: int, item_id: int) -> None:
    """Serialises, until the transaction ends, the decisions on one person's daily cap and
    on one item's stagger.

    PostgreSQL: row locks on the person, then the item (always in this order, so two
    holders never wait on each other); ``FOR NO KEY UPDATE`` does not block inserts that
    only reference the rows. SQLite: every transaction begins IMMEDIATE (settings.py), so
    it already holds the database's write lock before its first read.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("hold() only makes sense inside a transaction")
    if connection.vendor == "sqlite":
        mode = connection.settings_dict.get("OPTIONS", {}).get("transaction_mode")
        if mode != "IMMEDIATE":
            raise RuntimeError("SQLite transactions must begin IMMEDIATE (settings.py)")
        return
    list(Person.objects.select_for_update(no_key=True).filter(pk=person_id).values_list("pk"))
    list(ContentItem.objects.select_for_update(no_key=True).filter(pk=item_id).values_list("pk"))


def staggered(
    options: SharingSettings,
    organisation_id: int,
    item_id: int,
    network: str,
    moment: datetime,
    exclude: int | None = None,
) -> datetime:
    """The first moment from ``moment`` at least the gap away from every colleague's post
    of the same item on the same network (the next free slot)."""
    gap = timedelta(minutes=options.stagger_minutes)
    if not gap:
        return moment
    others = ShareTarget.objects.filter(
        organisation_id=organisation_id,
        share__item_id=item_id,
        network=network,
        status__in=ACTIVE,
        scheduled_at__gt=moment - gap,
    )
    if exclude is not None:
        others = others.exclude(pk=exclude)
    taken: list[datetime] = sorted(
        moment_ for moment_ in others.values_list("scheduled_at", flat=True) if moment_ is not None
    )
    candidate = moment
    for other in taken:
        if abs(other - candidate) < gap:
            candidate = other + gap
    return candidate


def plan(
    options: SharingSettings,
    tz: tzinfo,
    organisation_id: int,
    item_id: int,
    network: str,
    moment: datetime,
    exclude: int | None = None,
) -> datetime:
    """The first moment from ``moment`` outside quiet hours and a gap away from colleagues'
    posts of the item: a slot pushed into quiet hours by the stagger moves to their end
    and is staggered again there."""
    for _step in range(MAX_STEPS):
        candidate = staggered(
            options,
            organisation_id,
            item_id,
            network,
            after_quiet_hours(options, moment, tz),
            exclude,
        )
        if candidate == moment:
            break
        moment = candidate
    return moment


def _next_local_day(moment: datetime, tz: tzinfo) -> datetime:
    local = moment.astimezone(tz)
    day = local.date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=tz)


def claim_time(
    options: SharingSettings, tz: tzinfo, target: ShareTarget, now: datetime
) -> datetime:
    """The first moment from ``now`` at which ``target`` may go out: outside quiet hours, a
    gap after the colleagues' posts of the item that went out, within the person's daily
    cap on the network. Call it under ``hold``."""
    person = target.share.person
    gap = timedelta(minutes=options.stagger_minutes)
    moment = now
    for _step in range(MAX_STEPS):
        candidate = after_quiet_hours(options, moment, tz)
        if gap:
            last = (
                ShareTarget.objects.filter(
                    organisation_id=target.organisation_id,
                    share__item_id=target.share.item_id,
                    network=target.network,
                    status__in=OUT,
                    # No upper bound: a colleague claimed while this claim waited for the
                    # hold went out after this claim's "now".
                    scheduled_at__gt=candidate - gap,
                )
                .exclude(pk=target.pk)
                .order_by("-scheduled_at")
                .values_list("scheduled_at", flat=True)
                .first()
            )
            if last is not None:
                candidate = last + gap
        # Those that went out that day and those planned earlier that day: a post pushed
        # onto a full day (a retry) yields to the ones planned there first.
        if target.account_id is not None and (
            posts_on_day(
                person, target.network, candidate, tz, exclude=target.pk, before_moment=True
            )
            >= options.daily_cap
        ):
            candidate = _next_local_day(candidate, tz)
        if candidate == moment:
            break
        moment = candidate
    return moment


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
