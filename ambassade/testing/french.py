"""Detectors of words a French reader must not meet: our English strings and raw codes.

Shared by the crawl of every page in French (core/tests/test_words_in_french.py) and the
journeys that walk a person's pages in a browser. ``VisibleText`` collects what a person
reads or hears on a page (text outside script and style, plus aria-label, title,
placeholder, alt and the label of input buttons); ``FrenchReader`` fails on:

- a text that is a msgid of our French catalogue whose translation differs: a string from
  our code that was shown untranslated;
- two common English words in one text: English written outside the catalogue;
- a raw code: snake_case words, dotted codes (``sharing.resumed``), Python reprs (``{'``,
  ``None``), ISO dates in prose, a text made of stored codes only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

import ambassade

ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")

SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
DOTTED_CODE = re.compile(
    r"(?<![\w@./-])[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)+\b|\b[a-z]+\.[a-z]+_[a-z_]+\b"
)
PYTHON_REPR = re.compile(r"\{'|\bNone\b|\bTrue\b|\bFalse\b")
ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
# English written outside the catalogue: two of these words in one text are not French.
ENGLISH_WORDS = re.compile(r"\b(?:the|and|your|you|with|this|from|been|will|have)\b")
# Stored codes that are also French words, shown translated as the same word.
FRENCH_WORDS = {"alumni", "conversion"}
# Texts where such a pattern is the thing shown on purpose.
ALLOWED = (
    re.compile(r"https?://\S+"),  # addresses are shown as they are
    re.compile(r"\S+@\S+"),  # e-mail addresses
    re.compile(r"utm_[a-z]+"),  # the tracking parameters, named as the networks read them
)


class VisibleText(HTMLParser):
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


def visible_texts(html: str) -> list[str]:
    """Every text a person reads or hears on the page, <code> and <pre> included."""
    parser = VisibleText()
    parser.feed(html)
    return parser.texts + parser.code_texts


def untranslated_msgids() -> set[str]:
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


def stored_codes() -> set[str]:
    """The codes we store (roles, networks, statuses, types, languages...), as they are."""
    from ambassade.core import display

    return display.codes() | {code for code, _name in settings.LANGUAGES}


def raw_codes(text: str, codes: set[str]) -> list[str]:
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


class FrenchReader:
    """Reads texts as a French speaker would and says what is not French.

    The catalogue and the stored codes are read once; ``english_content`` holds texts the
    organisation wrote in English (item titles, suggestions): content, not our words.
    """

    def __init__(self, english_content: Iterable[str] = ()) -> None:
        self.english = untranslated_msgids()
        self.codes = stored_codes()
        self.english_content = set(english_content)

    def problems(self, where: str, texts: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for text in texts:
            if text in self.english:
                found.add(f"{where}: English {text!r}")
            written = any(title in text for title in self.english_content)
            if not written and len(set(ENGLISH_WORDS.findall(text))) >= 2:
                found.add(f"{where}: English {text!r}")
            for code in raw_codes(text, self.codes):
                found.add(f"{where}: code {code!r} in {text[:80]!r}")
        return found

    def problems_in_page(self, where: str, html: str) -> set[str]:
        return self.problems(where, visible_texts(html))
