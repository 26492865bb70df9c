"""Reading a page's card: Open Graph and Twitter-card metadata, with sensible fallbacks.

The page is fetched through the guarded outbound client (``core.outbound``); only the
document head is parsed. What a person sees when it fails is ``PreviewError.message``.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.utils.translation import gettext as _

from ambassade.core.outbound import OutboundError, fetch

HTML_TYPES = {"text/html", "application/xhtml+xml"}
MAX_PAGE_BYTES = 2_000_000


class PreviewError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Preview:
    url: str  # the address the person gave
    final_url: str  # after redirects
    canonical_url: str
    title: str
    description: str
    image_url: str
    site_name: str


class _HeadParser(HTMLParser):
    """Collects <meta>, <link rel=canonical> and <title> until the body starts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.title = ""
        self._in_title = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "body":
            self.done = True
        elif tag == "meta":
            key = (values.get("property") or values.get("name") or "").strip().lower()
            content = values.get("content", "").strip()
            if key and content and key not in self.meta:
                self.meta[key] = content
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href", "").strip()
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "head":
            self.done = True

    def handle_data(self, data: str) -> None:
        if self._in_title and not self.done:
            self.title += data


def _clean(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def _absolute(base: str, candidate: str) -> str:
    if not candidate:
        return ""
    absolute = urljoin(base, candidate)
    return absolute if urlsplit(absolute).scheme in {"http", "https"} else ""


def parse(html: str, page_url: str) -> dict[str, str]:
    parser = _HeadParser()
    parser.feed(html)
    meta = parser.meta

    def first(*keys: str) -> str:
        return next((meta[key] for key in keys if meta.get(key)), "")

    return {
        "title": _clean(first("og:title", "twitter:title") or parser.title, 300),
        "description": _clean(first("og:description", "twitter:description", "description"), 1000),
        "image_url": _absolute(page_url, first("og:image:secure_url", "og:image", "twitter:image")),
        "canonical_url": _absolute(page_url, first("og:url") or parser.canonical) or page_url,
        "site_name": _clean(first("og:site_name", "application-name"), 200)
        or (urlsplit(page_url).hostname or ""),
    }


def read(url: str, *, allowed_hosts: frozenset[str] = frozenset()) -> Preview:
    try:
        response = fetch(
            url,
            allowed_hosts=allowed_hosts,
            max_bytes=MAX_PAGE_BYTES,
            headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"},
        )
    except OutboundError as error:
        raise PreviewError(error.code, error.message) from None
    if response.status >= 400:
        raise PreviewError(
            "bad_status",
            _("The page answered with the error %(status)s.") % {"status": response.status},
        )
    if response.content_type not in HTML_TYPES:
        raise PreviewError(
            "not_a_page",
            _("This address is not a web page (%(type)s).")
            % {"type": response.content_type or _("unknown type")},
        )
    fields = parse(response.text(), response.url)
    if not fields["title"]:
        raise PreviewError("no_title", _("The page has no title to show in a preview."))
    return Preview(url=url, final_url=response.url, **fields)
