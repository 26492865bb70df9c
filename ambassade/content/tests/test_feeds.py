"""Feed polling against a local HTTP server: conditional requests, parsing, de-duplication."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ambassade.content.feeds import FeedError, canonical_url, poll
from ambassade.testing.local_site import LocalSite, Page, serve

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
<title>Blog Verdier</title>
<item><title>Nouvelle usine \xc3\xa0 Nantes</title>
<link>https://blog.verdier.example/usine-nantes?utm_source=rss&amp;id=3</link>
<description>Inauguration le 3 mars.</description>
<pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate>
<media:content url="https://blog.verdier.example/nantes.jpg" medium="image"/></item>
<item><title>Doublon</title><link>https://BLOG.verdier.example/usine-nantes?id=3#haut</link></item>
<item><title>Sans lien</title></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Presse</title>
<entry><title>Resultats annuels</title><link href="https://presse.example/resultats"/>
<updated>2026-02-01T10:00:00Z</updated></entry></feed>"""


@pytest.fixture(scope="module")
def source() -> Iterator[LocalSite]:
    headers = {"ETag": '"v1"', "Last-Modified": "Mon, 02 Mar 2026 08:00:00 GMT"}
    pages = {
        "/rss": Page("application/rss+xml", RSS, headers=headers),
        "/atom": Page("application/atom+xml", ATOM, headers=headers),
        "/html": Page("text/html", b"<html><body>Not a feed</body></html>"),
        "/down": Page("text/plain", b"oops", 503),
    }
    with serve(pages) as site:
        yield site


def test_an_rss_feed_gives_deduplicated_entries_with_their_images(source: LocalSite) -> None:
    result = poll(f"{source.url}/rss")
    assert result.title == "Blog Verdier"
    assert result.etag == '"v1"'
    [entry] = result.entries
    assert entry.title == "Nouvelle usine à Nantes"
    assert entry.url == "https://blog.verdier.example/usine-nantes?id=3"
    assert entry.image_url == "https://blog.verdier.example/nantes.jpg"
    assert (
        entry.published is not None and entry.published.isoformat() == "2026-03-02T08:00:00+00:00"
    )


def test_a_second_poll_is_conditional_and_unchanged_feeds_cost_nothing(source: LocalSite) -> None:
    result = poll(f"{source.url}/rss", etag='"v1"', last_modified="x")
    assert result.not_modified
    assert result.entries == []
    assert source.hits[-1][1]["If-None-Match"] == '"v1"'


def test_atom_feeds_are_read_too(source: LocalSite) -> None:
    [entry] = poll(f"{source.url}/atom").entries
    assert entry.url == "https://presse.example/resultats"


@pytest.mark.parametrize(
    ("path", "code"), [("/html", "not_a_feed"), ("/down", "bad_status"), ("/missing", "bad_status")]
)
def test_sources_that_fail_say_why(source: LocalSite, path: str, code: str) -> None:
    with pytest.raises(FeedError) as failure:
        poll(f"{source.url}{path}")
    assert failure.value.code == code


def test_canonical_urls_ignore_case_fragments_and_tracking() -> None:
    assert (
        canonical_url("HTTPS://Example.com/a?utm_medium=x&b=2&a=1#top")
        == "https://example.com/a?a=1&b=2"
    )
