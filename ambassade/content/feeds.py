"""Polling an RSS or Atom source politely: conditional requests, parsing with feedparser.

The fetch goes through the guarded outbound client; feedparser only ever sees bytes,
so it never opens a connection of its own.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils.translation import gettext as _

from ambassade.core.outbound import OutboundError, fetch

if TYPE_CHECKING:
    import feedparser

MAX_FEED_BYTES = 5_000_000
# Tracking parameters dropped when comparing addresses, so one article is one entry.
TRACKING_PARAMETERS = {"fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ref"}


class FeedError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Entry:
    title: str
    url: str  # canonical form, used to de-duplicate
    summary: str
    published: datetime | None
    image_url: str


@dataclass
class PollResult:
    not_modified: bool
    etag: str = ""
    last_modified: str = ""
    title: str = ""
    entries: list[Entry] = field(default_factory=list)


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no utm_* or click identifiers, sorted query."""
    parts = urlsplit(url.strip())
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMETERS
    ]
    path = parts.path or "/"
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), path, urlencode(sorted(query)), "")
    )


def _published(entry: feedparser.FeedParserDict) -> datetime | None:
    moment = entry.get("published_parsed") or entry.get("updated_parsed")
    if not moment:
        return None
    return datetime.fromtimestamp(calendar.timegm(moment), tz=UTC)


def _image(entry: feedparser.FeedParserDict) -> str:
    for media in entry.get("media_content", []) + entry.get("media_thumbnail", []):
        if media.get("url"):
            return str(media["url"])
    for enclosure in entry.get("enclosures", []):
        if str(enclosure.get("type", "")).startswith("image/") and enclosure.get("href"):
            return str(enclosure["href"])
    return ""


def parse(body: bytes, base_url: str) -> tuple[str, list[Entry]]:
    # Imported here: the worker that polls sources needs feedparser (12 MB), the web
    # processes that merely show the curation pages do not.
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not parsed.get("version") and not parsed.entries:
        raise FeedError("not_a_feed", _("This address does not return an RSS or Atom feed."))
    entries = []
    seen: set[str] = set()
    for item in parsed.entries:
        link = item.get("link") or ""
        if not link or urlsplit(link).scheme not in {"http", "https"}:
            continue
        url = canonical_url(link)
        if url in seen:
            continue
        seen.add(url)
        entries.append(
            Entry(
                title=" ".join(str(item.get("title", "")).split())[:300],
                url=url,
                summary=str(item.get("summary", ""))[:5000],
                published=_published(item),
                image_url=_image(item),
            )
        )
    return str(parsed.feed.get("title", ""))[:200], entries


def poll(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    allowed_hosts: frozenset[str] = frozenset(),
) -> PollResult:
    headers = {
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1"
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        response = fetch(
            url, headers=headers, allowed_hosts=allowed_hosts, max_bytes=MAX_FEED_BYTES
        )
    except OutboundError as error:
        raise FeedError(error.code, error.message) from None
    if response.status == 304:
        return PollResult(not_modified=True, etag=etag, last_modified=last_modified)
    if response.status >= 400:
        raise FeedError(
            "bad_status",
            _("The source answered with the error %(status)s.") % {"status": response.status},
        )
    title, entries = parse(response.body, response.url)
    return PollResult(
        not_modified=False,
        etag=response.headers.get("etag", ""),
        last_modified=response.headers.get("last-modified", ""),
        title=title,
        entries=entries,
    )
