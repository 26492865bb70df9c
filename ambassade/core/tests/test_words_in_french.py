"""Every page of both spaces, rendered in French for the demo personas, speaks French.

A bounded crawl from each persona's landing pages collects the visible text of every page
it reaches and fails on an English string from our catalogue or a raw code (the
detectors live in ambassade/testing/french.py, which the journeys share).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from datetime import date
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from ambassade.content.models import ContentItem, SuggestedMessage
from ambassade.core import demo
from ambassade.people.models import Person
from ambassade.testing.french import FrenchReader, VisibleText

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
# Pages that document a file format: the column names and values in their <code> and
# <pre> are what a person types in the file, shown as they are on purpose.
FILE_FORMAT_PAGES = {"/console/people/imports/"}


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
        parser = VisibleText()
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
    # Items written in English by the organisation are content, not our words.
    reader = FrenchReader(
        english_content=set(
            ContentItem.objects.exclude(language="fr").values_list("title", flat=True)
        )
        | set(SuggestedMessage.objects.exclude(language="fr").values_list("text", flat=True))
    )
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
            problems |= reader.problems(url, texts)
    translation.activate("en")
    assert crawled > 50
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(sorted(problems))
