"""The names people read for the codes we store: networks, roles, languages, statuses.

One registry for every kind of code. Core registers the kinds it owns (roles, languages);
each app registers its own kinds in its ``AppConfig.ready`` (``display.register("network",
Network.choices)``), so core never imports a higher app. Templates read the names through
the ``display`` filter library, exports and mails through :func:`name` and :func:`names`.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from ambassade.core.roles import Role

_NAMES: dict[str, dict[str, str | Promise]] = {}


def register(kind: str, choices: Iterable[tuple[Any, str | Promise]]) -> None:
    """Adds (code, translatable name) pairs to a kind; a later pair wins for one code."""
    _NAMES.setdefault(kind, {}).update({str(code): label for code, label in choices})


def codes() -> set[str]:
    """Every registered code, of every kind: none of them should reach a page as is."""
    return {code for names_of_kind in _NAMES.values() for code in names_of_kind}


def _language(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code.upper()


def name(kind: str, code: Any) -> str:
    """The translated name of a code; an unknown code reads as words, never as a code."""
    if code is None or code == "":
        return ""
    code = str(code)
    if kind == "language":
        return _language(code)
    label = _NAMES.get(kind, {}).get(code)
    if label is not None:
        return str(label)
    return code.replace("_", " ").replace(".", " ")


def names(kind: str, codes: Iterable[Any] | None) -> str:
    """Several codes as one list a person reads: "Marketing, Communication interne"."""
    return ", ".join(name(kind, code) for code in codes or [] if code not in (None, ""))


def readable_value(value: Any, kind: str | None = None) -> str:
    """A stored value (from JSON or Python) as a person reads it, in the active language."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, list | tuple | set):
        return ", ".join(readable_value(item, kind) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label(key)} : {readable_value(item)}" for key, item in value.items()
        )
    if isinstance(value, str):
        parsed = _iso_date(value)
        if parsed is not None:
            return readable_value(parsed)
        if kind:
            return name(kind, value)
    return str(value)


def _iso_date(text: str) -> date | datetime | None:
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    if len(text) > 18 and text[4] == "-" and text[10] == "T":
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return None
    return None


def long_date(value: date | datetime | None, time_zone: str = "") -> str:
    """A date as a sentence reads it in the active language: "30 décembre 2026" (mails),
    on the calendar of ``time_zone`` (else the active zone) when it is a moment."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            try:
                zone = zoneinfo.ZoneInfo(time_zone) if time_zone else None
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None
            value = timezone.localtime(value, zone)
        value = value.date()
    return date_format(value, "DATE_FORMAT")


# Field names of audit changes: (label, kind of code their values are, if any).
_FIELDS: dict[str, tuple[str | Promise, str | None]] = {}


def register_fields(fields: dict[str, tuple[str | Promise, str | None]]) -> None:
    _FIELDS.update(fields)


def field_label(field: str) -> str:
    label = _FIELDS.get(field, (None, None))[0]
    return str(label) if label is not None else field.replace("_", " ").capitalize()


def field_kind(field: str) -> str | None:
    return _FIELDS.get(field, (None, None))[1]


register("role", Role.choices)
