"""No page shows a link its viewer cannot open: each demo persona follows every link.

For each persona of the demo organisation, sign in and follow, breadth first, every
same-site GET link of every page reached from the landing pages. A link answering 403
(or 500) is a link the page should not have shown. Bounded: a few pages per route (the
tenth program page tells nothing the second did not) and a cap per persona.
"""

from __future__ import annotations

from collections import Counter, deque
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from ambassade.people.models import Person

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "marketing", "rh", "comms", "ventes", "coach", "ambassadeur"]
LANDINGS = ["/", "/me/home/"]
MAX_PAGES = 150
PER_ROUTE = 2
# Links that sign out, switch language, download files or change something on a GET
# (the OAuth start of a network, a short link that counts a visit).
SKIPPED_PREFIXES = ("/accounts/logout", "/accounts/language", "/r/", "/media/", "/static/")
SKIPPED_ROUTES = {"sharing:oauth_start", "sharing:oauth_callback"}
DOWNLOADS = (".csv", ".xlsx", ".zip", ".pdf", ".ics", ".png", ".svg", ".gif", ".json")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def _same_site(href: str, base: str) -> str | None:
    href = urldefrag(href)[0]
    if not href:
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if parts.netloc != "testserver":
            return None
        href = parts.path + (f"?{parts.query}" if parts.query else "")
    elif not href.startswith("/"):
        href = base.split("?")[0].rsplit("/", 1)[0] + "/" + href
    path = urlsplit(href).path
    if path.startswith(SKIPPED_PREFIXES) or path.endswith(DOWNLOADS) or "export" in href:
        return None
    return href


def _route(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _crawl(client: Client) -> tuple[list[str], int]:
    """(the broken links with the page that showed them, the number of pages visited)."""
    queue = deque((url, "(landing)") for url in LANDINGS)
    seen = set(LANDINGS)
    per_route: Counter[str] = Counter()
    broken, visited = [], 0
    while queue and visited < MAX_PAGES:
        url, source = queue.popleft()
        route = _route(url)
        if route in SKIPPED_ROUTES:
            continue
        if route is not None:
            # Filters and pages of a list count as that list: the links they show are alike.
            if per_route[route] >= PER_ROUTE:
                continue
            per_route[route] += 1
        response = client.get(url)
        visited += 1
        if response.status_code in {403, 500}:
            broken.append(f"{url} ({response.status_code}) linked from {source}")
            continue
        targets: list[str] = []
        if response.status_code in {301, 302}:
            targets = [response["Location"]]
        elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parser = _Links()
            parser.feed(response.content.decode())
            targets = parser.links
        for href in targets:
            link = _same_site(href, url)
            if link is not None and link not in seen:
                seen.add(link)
                queue.append((link, url))
    return broken, visited


def test_no_page_shows_a_link_its_viewer_cannot_open() -> None:
    from ambassade.core import demo

    # One demo organisation for every persona, inside this test's transaction (built
    # once: a module-wide copy would have to be flushed, and other tests' data with it).
    demo.build(people=40, days=20, seed=5, today=date.today(), progress=lambda _: None)
    broken = []
    for login in PERSONAS:
        person = Person.objects.get(email=f"{login}@verdier.example")
        client = Client()
        client.force_login(person.user)
        found, visited = _crawl(client)
        assert visited > 5, f"{login}: the crawl reached no page"
        broken += [f"{login}: {link}" for link in found]
    assert broken == [], "\n".join(broken)
