"""Input cleaning: plain text, rich text and web addresses."""

from __future__ import annotations

import re

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
RICH_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}


# --- Input cleaning ---------------------------------------------------------------------


def plain(value: str | None, field: str, *, limit: int, required: bool = False) -> str:
    """Plain text: trimmed, HTML refused with a clear message, length checked."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if TAG.search(text):
        raise ValidationError({field: _("Write plain text here: HTML tags are not accepted.")})
    if len(text) > limit:
        raise ValidationError(
            {
                field: _("Keep it under %(limit)s characters (now %(count)s).")
                % {"limit": f"{limit:,}", "count": f"{len(text):,}"}
            }
        )
    return text


def strip_html(value: str, limit: int) -> str:
    """Text from elsewhere (a feed's summary): tags removed, never refused."""
    return " ".join(nh3.clean(value or "", tags=set()).split())[:limit]


def rich(value: str | None) -> str:
    """Rich text sanitised by nh3: a few formatting tags, links without scripts."""
    return nh3.clean(
        value or "",
        tags=RICH_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def web_address(value: str | None, field: str, *, required: bool = False) -> str:
    url = (value or "").strip()
    if not url:
        if required:
            raise ValidationError({field: _("Give the address of the page (https://…).")})
        return ""
    if len(url) > 2048:
        raise ValidationError({field: _("The address is longer than 2,048 characters.")})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {field: _("This is not a valid web address: it must start with https:// or http://.")}
        ) from None
    return url
