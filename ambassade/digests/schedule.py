"""When a digest is due: the person's weekday and hour, read in their own time zone.

The job runs every 15 minutes. A digest is due from its moment (e.g. Monday 09:00 in
Auckland) for CATCH_UP hours, so a scheduler that was down a while still sends it, but a
person who chooses Monday on a Friday does not get last Monday's digest four days late.
Each period has a key ("2026-12-01" daily, "2026-W49" weekly): the unique
(person, period) of DigestSent is what makes a digest go out at most once.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from ambassade.digests.models import Frequency

CATCH_UP = timedelta(hours=6)


def zone_named(*names: str) -> tzinfo:
    """The first valid time zone among the names (the person's, then the organisation's)."""
    for name in names:
        if name:
            try:
                return zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                continue
    return zoneinfo.ZoneInfo("UTC")


@dataclass(frozen=True)
class Period:
    key: str
    moment: datetime  # when its digest is due, aware
    length: timedelta


def _period(frequency: str, weekday: int, hour: int, day: datetime, zone: tzinfo) -> Period:
    if frequency == Frequency.DAILY:
        moment = datetime.combine(day.date(), time(hour), tzinfo=zone)
        return Period(day.date().isoformat(), moment, timedelta(days=1))
    monday = day.date() - timedelta(days=day.weekday())
    chosen = monday + timedelta(days=weekday)
    year, week, _weekday = chosen.isocalendar()
    moment = datetime.combine(chosen, time(hour), tzinfo=zone)
    return Period(f"{year}-W{week:02d}", moment, timedelta(days=7))


def due_period(
    frequency: str, weekday: int, hour: int, zone: tzinfo, now: datetime
) -> Period | None:
    """The period whose digest is due at ``now`` (aware), or None."""
    if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
        return None
    local = now.astimezone(zone)
    step = timedelta(days=1 if frequency == Frequency.DAILY else 7)
    # This period, or the one before when its catch-up window runs past midnight/Sunday.
    for day in (local, local - step):
        period = _period(frequency, weekday, hour, day, zone)
        if period.moment <= now < period.moment + CATCH_UP:
            return period
    return None
