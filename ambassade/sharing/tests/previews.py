"""Reads the composer's per-network previews from a page, as a person sees them."""

from __future__ import annotations

import html
import re

_SECTION = re.compile(
    r'<section class="post-preview"[^>]*data-network="([^"]+)">(.*?)</section>', re.S
)


def _inside(body: str, marker: str) -> str | None:
    found = re.search(rf"<(\w+)[^>]*\b{marker}\b[^>]*>(.*?)</\1>", body, re.S)
    return html.unescape(found.group(2)) if found else None


def previews(page: str) -> dict[str, dict[str, str | None]]:
    """{network: {"text", "title", "description", "link", "count", "srcset"}} for each
    preview shown."""
    shown: dict[str, dict[str, str | None]] = {}
    for network, body in _SECTION.findall(page):
        srcset = re.search(r'<img[^>]*srcset="([^"]*)"', body)
        shown[network] = {
            "text": _inside(body, "data-post-text"),
            "title": _inside(body, "data-card-title"),
            "description": _inside(body, "data-card-description"),
            "link": _inside(body, "data-card-link"),
            "count": _inside(body, "data-count"),
            "srcset": html.unescape(srcset.group(1)) if srcset else None,
        }
    return shown
