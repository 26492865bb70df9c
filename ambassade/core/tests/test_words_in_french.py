"""Every page of both spaces, rendered in French for the demo personas, speaks French.

A bounded crawl from each persona's landing pages collects the visible text of every page
it reaches (text outside script and style, plus the attributes a person hears or reads:
aria-label, title, placeholder, alt and the value of buttons) and fails on:

- a text that is a msgid of our French catalogue whose translation differs: a string from
  our code that was shown untranslated;
- a raw code: snake_case words, dotted codes (``sharing.resumed``), Python reprs (``{'``,
  ``None``), ISO dates in prose.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.utils import translation

import ambassade
from ambassade.content.models import ContentItem, SuggestedMessage
from ambassade.core import demo, display
from ambassade.people.models import Person

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin@verdier.example",
    "marketing@verdier.example",
    "rh@verdier.example",
    "comms@verdier.example",
    "ventes@verdier.example",
    "coach@verdier.example",
    "ambassadeur@verdier.example",
]
LANDINGS = ["/", "/console/", "/me/", "/feed/"]
PAGES_PER_PERSONA = 150
PAGES_PER_SHAPE = 2

# Links that change state on GET (signing out) or answer with a file, not a page.
SKIPPED = re.compile(
    r"/logout|/sign-out|/accounts/logout|\.csv|\.xlsx|\.pdf|\.json|\.ics|/export|/download"
    r"|/api/|/static/|/media/|/r/|/admin/|/report/|/language"
)
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
DOTTED_CODE = re.compile(
    r"(?<![\w@./-])[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)+\b|\b[a-z]+\.[a-z]+_[a-z_]+\b"
)
PYTHON_REPR = re.compile(r"\{'|\bNone\b|\bTrue\b|\bFalse\b")
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
# English written outside the catalogue: two of these words in one text are not French.
ENGLISH_WORDS = re.compile(r"\b(?:the|and|your|you|with|this|from|been|will|have)\b")
# Pages that document a file format: the column names and values in their <code> and
# <pre> are what a person types in the file, shown as they are on purpose.
FILE_FORMAT_PAGES = {"/console/people/imports/"}
# Stored codes that are also French words, shown translated as the same word.
FRENCH_WORDS = {"alumni"}
# Texts where such a pattern is the thing shown on purpose.
ALLOWED = (
    re.compile(r"https?://\S+"),  # addresses are shown as they are
    re.compile(r"\S+@\S+"),  # e-mail addresses
    re.compile(r"utm_[a-z]+"),  # the tracking parameters, named as the networks read them
)


class _VisibleText(HTMLParser):
    """The pieces of text a person reads or hears, one per text node or attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        # Texts inside <code> or <pre>, kept apart for the pages that document a format.
        self.code_texts: list[str] = []
        self._code_depth = 0
        self.links: list[str] = []
        self._hidden_depth = 0
        # An element in another language on purpose (the switch's "English"): its tag.
        self._foreign: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang") or ""
        if tag != "html" and lang and not lang.startswith("fr") and self._foreign is None:
            self._foreign = tag
        if tag in ("script", "style", "template"):
            self._hidden_depth += 1
        if tag in ("code", "pre"):
            self._code_depth += 1
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ATTRIBUTES:
            if values.get(name):
                self.texts.append(values[name] or "")
        # A <button>'s value is never shown; an <input type=submit>'s is its label.
        is_button = tag == "input" and values.get("type") in ("submit", "button")
        if is_button and values.get("value"):
            self.texts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._foreign:
            self._foreign = None
        if tag in ("code", "pre") and self._code_depth:
            self._code_depth -= 1
        if tag in ("script", "style", "template") and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth and self._foreign is None:
            text = " ".join(data.split())
            if text:
                (self.code_texts if self._code_depth else self.texts).append(text)


def _untranslated_msgids() -> set[str]:
    """Our msgids whose French differs from the English: shown as is, they are English."""
    path = Path(ambassade.__file__).resolve().parent / "locale/fr/LC_MESSAGES/django.po"
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    found = set()
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple | list):
            continue
        if "%" in message.id or "{" in message.id or len(message.id) < 3:
            continue
        if message.string and message.string != message.id:
            found.add(" ".join(message.id.split()))
    return found


def _stored_codes() -> set[str]:
    """The codes we store (roles, networks, statuses, types, languages...), as they are."""
    return display.codes() | {code for code, _name in settings.LANGUAGES}


def _raw_codes(text: str, codes: set[str]) -> list[str]:
    for allowed in ALLOWED:
        text = allowed.sub(" ", text)
    found: list[str] = []
    # A text made of stored codes only ("linkedin 174/3000", "fr en", "marketing, hr").
    words = [word for word in re.findall(r"[A-Za-z_]+", text) if word not in FRENCH_WORDS]
    if words and all(word in codes for word in words) and (len(words) > 1 or len(words[0]) > 1):
        found.append(text)
    # Or a list where codes sit among names ("Ventes, fr, en").
    items = [item.strip() for item in re.split(r"[,·]", text)]
    listed = [item for item in items if item in codes and item not in FRENCH_WORDS]
    if len(items) > 1 and len(listed) >= 2:
        found += listed
    for pattern in (SNAKE_CASE, DOTTED_CODE, PYTHON_REPR, ISO_DATE):
        found += pattern.findall(text)
    return found


def _shape(url: str) -> str:
    """A page's kind: its address with numbers blanked (/console/people/N/)."""
    return re.sub(r"\d+", "N", url)


def _crawl(client: Client, shapes: Counter[str]) -> dict[str, list[str]]:
    """Visible texts by page, for the HTML pages reachable from the landings.

    Two pages of each kind are enough across personas (the others show the same words),
    which keeps the crawl short.
    """
    queue = deque(LANDINGS)
    seen = set(LANDINGS)
    pages: dict[str, list[str]] = {}
    while queue and len(pages) < PAGES_PER_PERSONA:
        url = queue.popleft()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _VisibleText()
        parser.feed(response.content.decode())
        pages[url] = parser.texts
        if url not in FILE_FORMAT_PAGES:
            pages[url] += parser.code_texts
        for href in parser.links:
            link = urldefrag(href)[0]
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link.startswith("/") or SKIPPED.search(link):
                continue
            # One page of each listing: the other pages show the same words.
            if "page=" in parts.query:
                continue
            if link not in seen and shapes[_shape(link)] < PAGES_PER_SHAPE:
                shapes[_shape(link)] += 1
                seen.add(link)
                queue.append(link)
    return pages


@pytest.fixture
def demo_in_french(settings) -> None:
    settings.LANGUAGE_CODE = "fr"
    demo.build(people=30, days=20, seed=5, today=date.today(), progress=lambda _: None)


def test_every_page_speaks_french(demo_in_french: None) -> None:
    english = _untranslated_msgids()
    codes = _stored_codes()
    # Items written in English by the organisation are content, not our words.
    english_content = set(
        ContentItem.objects.exclude(language="fr").values_list("title", flat=True)
    ) | set(SuggestedMessage.objects.exclude(language="fr").values_list("text", flat=True))
    problems: set[str] = set()
    crawled = 0
    shapes: Counter[str] = Counter()
    for email in PERSONAS:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        client.force_login(Person.objects.get(email=email).user)
        pages = _crawl(client, shapes)
        crawled += len(pages)
        for url, texts in pages.items():
            for text in texts:
                if text in english:
                    problems.add(f"{url}: English {text!r}")
                written = any(title in text for title in english_content)
                if not written and len(set(ENGLISH_WORDS.findall(text))) >= 2:
                    problems.add(f"{url}: English {text!r}")
                for code in _raw_codes(text, codes):
                    problems.add(f"{url}: code {code!r} in {text[:80]!r}")
    translation.activate("en")
    assert crawled > 50
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(problems))
