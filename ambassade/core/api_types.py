"""The value types of the API's input schemas: what every operation refuses, said once.

Every input schema derives from ``InputSchema``: unknown fields are refused (a misspelt
field is an error, not a silent no-op) and values are strict (``true`` is not an integer,
``"5"`` is not a number). The types below loosen strictness only where JSON has no
native type (dates, times, decimals) and add the checks PostgreSQL and SQLite need:
no NUL character, no lone surrogate, integers within 64 bits, dates within reason.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, Strict, WithJsonSchema
from pydantic_core import PydanticCustomError

MAX_INT = 2**63 - 1  # a 64-bit signed integer: PostgreSQL's bigint, SQLite's INTEGER
MIN_DAY = date(1900, 1, 1)
MAX_DAY = date(2199, 12, 31)

# Characters that show nothing: controls, soft hyphen, zero-width and direction marks.
INVISIBLE = r"\x00-\x1f\x7f-\x9f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"
_VISIBLE = re.compile(rf"[^\s{INVISIBLE}]")
_EDGES = re.compile(rf"^[\s{INVISIBLE}]+|[\s{INVISIBLE}]+$")
# The same rules as documented patterns (a JSON Schema pattern matches anywhere).
TEXT_PATTERN = r"^[^\x00]*$"
NAME_PATTERN = rf"^[^\x00]*[^\s{INVISIBLE}][^\x00]*$"


def clean_text(value: str) -> str:
    """Refuses what no database column can store: NUL and lone surrogates."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "The text contains a NUL character.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            "lone_surrogate", "The text contains a lone surrogate: send valid UTF-8."
        ) from None
    return value


def clean_name(value: str) -> str:
    """A name: trimmed, and made of more than spaces and invisible characters."""
    value = _EDGES.sub("", clean_text(value))
    if not _VISIBLE.search(value):
        raise PydanticCustomError("blank", "This cannot be blank.")
    return value


def trim(value: str) -> str:
    """Spaces and invisible characters at both ends go; what remains may be empty."""
    return _EDGES.sub("", clean_text(value))


def _iso_text(value: Any) -> Any:
    """Dates and times come as ISO 8601 text: a number is not read as a timestamp."""
    if not isinstance(value, str | date | time):
        raise PydanticCustomError("iso_text", "Give the value as ISO 8601 text.")
    return value


def _plausible_day(value: date) -> date:
    if not MIN_DAY <= value <= MAX_DAY:
        raise PydanticCustomError(
            "implausible_date", "Give a date between 1900-01-01 and 2199-12-31."
        )
    return value


def _plausible_moment(value: datetime) -> datetime:
    _plausible_day(value.date())
    return value


def _aware(value: datetime) -> datetime:
    value = _plausible_moment(value)
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _local_time(value: time) -> time:
    if value.tzinfo is not None:
        raise PydanticCustomError("time_offset", "Give a time of day without an offset.")
    return value.replace(microsecond=0)


DATE_RANGE = "Between 1900-01-01 and 2199-12-31."
ZONE_RULE = (
    "ISO 8601; without an offset it is read in the organisation's time zone "
    "(the instance's TIME_ZONE). " + DATE_RANGE
)

# Free text (messages, descriptions, notes). Give each field its max_length.
Text = Annotated[
    str, AfterValidator(clean_text), Field(json_schema_extra={"pattern": TEXT_PATTERN})
]
# A name or title: trimmed, never blank nor made only of invisible characters.
Name = Annotated[
    str,
    AfterValidator(clean_name),
    Field(min_length=1, json_schema_extra={"pattern": NAME_PATTERN}),
]
# A name whose action refuses it blank with its own message: trimmed, maybe empty.
Trimmed = Annotated[str, AfterValidator(trim), Field(json_schema_extra={"pattern": TEXT_PATTERN})]
# A code chosen from a list (a network, a kind, a status): checked by the action.
Code = Annotated[
    str,
    AfterValidator(clean_text),
    Field(max_length=64, json_schema_extra={"pattern": TEXT_PATTERN}),
]
Id = Annotated[int, Field(ge=1, le=MAX_INT)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
Day = Annotated[
    date,
    Strict(False),
    BeforeValidator(_iso_text),
    AfterValidator(_plausible_day),
    Field(description=DATE_RANGE),
]
Moment = Annotated[
    datetime,
    Strict(False),
    BeforeValidator(_iso_text),
    AfterValidator(_aware),
    Field(description=ZONE_RULE),
]
# A moment kept as sent: the operation reads a missing offset in the person's zone.
LocalMoment = Annotated[
    datetime, Strict(False), BeforeValidator(_iso_text), AfterValidator(_plausible_moment)
]
TimeOfDay = Annotated[
    time,
    Strict(False),
    AfterValidator(_local_time),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
            "maxLength": 8,
            "description": "A time of day, HH:MM or HH:MM:SS, without an offset.",
        }
    ),
]
Amount = Annotated[
    Decimal,
    Strict(False),
    Field(max_digits=12, decimal_places=2),  # the action says what range it accepts
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": -9999999999.99, "maximum": 9999999999.99},
                {"type": "string", "pattern": r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$", "maxLength": 14},
            ],
            "description": "At most 12 digits, of which 2 decimals.",
        }
    ),
]


def omittable(**constraints: Any) -> Any:
    """A PATCH field that may be left out but is never null: ``Field(None, …)`` with the
    type left without ``None``, so that ``null`` is refused and documented so."""
    return Field(None, **constraints)


class InputSchema(Schema):
    """The base of every request body: unknown fields and loose types are refused."""

    model_config = ConfigDict(strict=True, extra="forbid")
