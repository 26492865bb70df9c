"""The organisation's brand colour: checked for contrast, served as a small stylesheet.

Primary actions show white text on the brand colour, so a colour is accepted only when
that text stays readable (WCAG 2.1 AA for normal text: 4.5:1). The stylesheet is served
at a URL that contains the colour itself (``/brand/1d3f8f.css``): its content depends on
the URL alone, so browsers may keep it for a year, and a new colour is a new URL. No
inline style: the strict CSP allows stylesheets from our own origin only.
"""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

HEX_COLOUR = re.compile(r"#?([0-9a-fA-F]{6})")
MINIMUM_CONTRAST = 4.5  # WCAG 2.1 AA, normal text
# Hover and focus states: the brand colour mixed with this much black.
DARKER = 0.3


def _channels(colour: str) -> tuple[int, int, int]:
    found = HEX_COLOUR.fullmatch(colour or "")
    if found is None:
        raise ValueError(f"not a hexadecimal colour: {colour!r}")
    digits = found.group(1)
    red, green, blue = (int(digits[n : n + 2], 16) for n in (0, 2, 4))
    return red, green, blue


def _luminance(channels: tuple[int, int, int]) -> float:
    """Relative luminance, as WCAG 2.1 defines it."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour: str) -> float:
    """The contrast ratio of white text on this colour, from 1 to 21."""
    return 1.05 / (_luminance(_channels(colour)) + 0.05)


def darker(colour: str) -> str:
    red, green, blue = (round(channel * (1 - DARKER)) for channel in _channels(colour))
    return f"#{red:02x}{green:02x}{blue:02x}"


def stylesheet(colour: str) -> str:
    base = "#" + _channels_hex(colour)
    return f":root {{ --brand: {base}; --brand-dark: {darker(base)}; }}\n"


def _channels_hex(colour: str) -> str:
    red, green, blue = _channels(colour)
    return f"{red:02x}{green:02x}{blue:02x}"


def url_part(colour: str) -> str:
    """The colour as it appears in the stylesheet's URL (lower case, no ``#``)."""
    return _channels_hex(colour)


@require_GET
def brand_css(request: HttpRequest, colour: str) -> HttpResponse:
    """Any readable colour's stylesheet; the pages link the organisation's."""
    try:
        readable = contrast_with_white(colour) >= MINIMUM_CONTRAST
    except ValueError:
        readable = False
    if not readable:
        raise Http404("No such brand colour.")
    response = HttpResponse(stylesheet(colour), content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
