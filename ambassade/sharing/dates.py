"""The composer's date and time, typed in the person's language and read by the server.

A browser's date input shows the browser's format (``mm/dd/yyyy`` in an American
Chromium, whatever the page's language), so the composer asks for two text fields
with a visible format hint instead. Both languages write day before month (the
product's people are in Europe); the ISO form ``2026-12-30`` is read too. Times are
24-hour; French also writes ``14h30``. The time is in the person's time zone
(``scheduling.zone_of``): the view attaches it.
"""

from __future__ import annotations

import re
from datetime import date, time

from django.utils.translation import gettext as _

_DAY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(\d{1,2})\s*(?:[:h.]\s*(\d{2})?)?", re.IGNORECASE)


def day_hint() -> str:
    # Translators: how a date is written in the composer (day, month, year).
    return _("dd/mm/yyyy")


def time_hint() -> str:
    # Translators: how a time is written in the composer (24-hour clock).
    return _("hh:mm")


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_day(text: str) -> date | None:
    """30/12/2026, 30.12.2026, 30-12-26 or 2026-12-30; None if it is no date."""
    text = text.strip()
    iso = _ISO_DAY.fullmatch(text)
    if iso:
        return _day(int(iso[1]), int(iso[2]), int(iso[3]))
    found = _DAY.fullmatch(text)
    if found is None:
        return None
    year = int(found[3])
    return _day(year + 2000 if year < 100 else year, int(found[2]), int(found[1]))


def parse_time(text: str) -> time | None:
    """14:30, 14h30, 14h, 9.05; None if it is no time of day."""
    found = _TIME.fullmatch(text.strip())
    if found is None:
        return None
    hours, minutes = int(found[1]), int(found[2] or 0)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)
