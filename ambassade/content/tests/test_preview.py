"""Page previews, from pages served by a local HTTP server (never the internet)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from ambassade.content.preview import PreviewError, parse, read
from ambassade.testing.local_site import page_of, serve

ARTICLE = """<!doctype html><html><head>
<title>Fallback title</title>
<meta property="og:title" content="  Nous recrutons   à Lyon ">
<meta property="og:description" content="Vingt postes d&#39;ingénieurs &amp; techniciens.">
<meta property="og:image" content="/img/lyon.jpg">
<meta property="og:site_name" content="Groupe Verdier">
<link rel="canonical" href="https://www.verdier.example/carrieres/lyon">
</head><body><meta property="og:title" content="ignored, in the body"></body></html>"""

TWITTER_ONLY = """<html><head><title>T</title>
<meta name="twitter:title" content="Salon Industrie 2026">
<meta name="description" content="Retrouvez-nous stand B12.">
<meta name="twitter:image" content="https://cdn.example.com/salon.png">
</head></html>"""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    pages = {
        "/article": page_of("text/html; charset=utf-8", ARTICLE.encode()),
        "/pdf": page_of("application/pdf", b"%PDF-1.4"),
        "/gone": page_of("text/html", b"<html><head><title>Gone</title></head></html>", 410),
        "/untitled": page_of("text/html", b"<html><head></head><body>hi</body></html>"),
        "/latin1": page_of(
            "text/html; charset=iso-8859-1",
            "<html><head><title>Été à Nantes</title></head></html>".encode("latin-1"),
        ),
    }
    with serve(pages) as local:
        yield local.url


def test_open_graph_fields_make_the_card(site: str) -> None:
    preview = read(f"{site}/article")
    assert preview.title == "Nous recrutons à Lyon"
    assert preview.description == "Vingt postes d'ingénieurs & techniciens."
    assert preview.image_url == f"{site}/img/lyon.jpg"
    assert preview.canonical_url == "https://www.verdier.example/carrieres/lyon"
    assert preview.site_name == "Groupe Verdier"


def test_twitter_and_plain_meta_tags_are_fallbacks() -> None:
    fields = parse(TWITTER_ONLY, "https://www.example.com/salon")
    assert fields["title"] == "Salon Industrie 2026"
    assert fields["description"] == "Retrouvez-nous stand B12."
    assert fields["image_url"] == "https://cdn.example.com/salon.png"
    assert fields["canonical_url"] == "https://www.example.com/salon"
    assert fields["site_name"] == "www.example.com"


def test_the_declared_charset_is_honoured(site: str) -> None:
    assert read(f"{site}/latin1").title == "Été à Nantes"


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        ("/pdf", "not_a_page", "not a web page"),
        ("/gone", "bad_status", "error 410"),
        ("/untitled", "no_title", "no title"),
    ],
)
def test_pages_that_cannot_make_a_card_say_why(site: str, path: str, code: str, words: str) -> None:
    # Messages are written in the active language (the organisation's, by the caller).
    with translation.override("en"), pytest.raises(PreviewError) as failure:
        read(f"{site}{path}")
    assert failure.value.code == code
    assert words in failure.value.message


def test_private_addresses_are_refused_with_the_guards_message() -> None:
    article = {"/article": page_of("text/html; charset=utf-8", ARTICLE.encode())}
    with serve(article, allowed=False) as unlisted, pytest.raises(PreviewError) as failure:
        # Even an organisation's list naming the address does not open it.
        read(f"{unlisted.url}/article", allowed_hosts=frozenset({"127.0.0.1"}))
    assert failure.value.code in {"blocked_address", "blocked_port"}
    assert unlisted.hits == []


def test_javascript_image_urls_are_dropped() -> None:
    html = '<head><title>x</title><meta property="og:image" content="javascript:alert(1)"></head>'
    assert parse(html, "https://example.com/")["image_url"] == ""
