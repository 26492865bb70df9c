"""When a notification may leave the app: quiet hours in the person's time zone, and caps."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from ambassade.notifications.models import (
    DEFAULT_DAILY_CAP,
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    DEFAULT_WEEKLY_CAP,
    Notification,
    Settings,
)
from ambassade.people.models import Person


def settings_of(person: Person) -> Settings:
    """The person's settings, or unsaved defaults."""
    found = Settings.objects.filter(person=person).first()
    return found or Settings(
        person=person,
        quiet_start=DEFAULT_QUIET_START,
        quiet_end=DEFAULT_QUIET_END,
        daily_cap=DEFAULT_DAILY_CAP,
        weekly_cap=DEFAULT_WEEKLY_CAP,
    )


def zone_of(person: Person) -> zoneinfo.ZoneInfo:
    name = person.user.time_zone if person.user is not None else ""
    try:
        return zoneinfo.ZoneInfo(name or "Europe/Paris")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("Europe/Paris")


def _in_window(moment: time, start: time, end: time) -> bool:
    if start == end:
        return False  # no quiet hours
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # across midnight, the usual case


def quiet_until(person: Person, settings: Settings, now: datetime) -> datetime | None:
    """The end of the quiet hours the person is in now, or None when they are not."""
    local = now.astimezone(zone_of(person))
    if not _in_window(local.time(), settings.quiet_start, settings.quiet_end):
        return None
    end = local.replace(
        hour=settings.quiet_end.hour, minute=settings.quiet_end.minute, second=0, microsecond=0
    )
    if end <= local:
        end += timedelta(days=1)
    return end


def over_cap(person: Person, settings: Settings, now: datetime) -> bool:
    """Non-urgent messages that left (or wait to leave) the app in the last 24 hours and
    7 days: at the cap, the next one stays in the app."""
    recent = Notification.objects.filter(person=person, urgent=False, went_out=True)
    week = list(recent.filter(created_at__gte=now - timedelta(days=7)).values_list("created_at"))
    day = [created for (created,) in week if created >= now - timedelta(days=1)]
    return len(day) >= settings.daily_cap or len(week) >= settings.weekly_cap
