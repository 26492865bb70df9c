"""Checks of what a person writes into an action's free-text fields, with the one error
each field shows (a ValidationError keyed by the field), shared by the apps whose actions
take a written report and a link (problem reports, field reports)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

MAX_TEXT = 5000
MAX_LINK = 2048


def written_text(value: Any, field: str, missing: str) -> str:
    """The text without surrounding blanks; ``missing`` when there is none."""
    value = (value if isinstance(value, str) else "").strip()
    if not value:
        raise ValidationError({field: missing})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("Write at most 5,000 characters.")})
    return value


def web_address(value: Any) -> str:
    """An optional http(s) address for the ``link`` field; "" when none was given."""
    value = (value if isinstance(value, str) else "").strip()
    if not value:
        return ""
    try:
        if len(value) > MAX_LINK:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(
            {"link": _("Give a web address that starts with http:// or https://.")}
        ) from None
    return value
