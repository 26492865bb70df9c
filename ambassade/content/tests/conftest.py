"""Fixtures of the content tests: a program, enrolments, and a local web site.

The site (pages, an RSS feed, an image) is served by http.server on 127.0.0.1, which
the tests allow as an intranet host; nothing here reaches the internet.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image

from ambassade.core.authz import actor_for_person
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.testing.local_site import LocalSite, page_of, serve


def png(width: int = 64, height: int = 32) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (29, 63, 143)).save(output, "PNG")
    return output.getvalue()


def page(title: str, description: str = "", image: str = "/img/card.png") -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<meta property="og:title" content="{title}">'
        f'<meta property="og:description" content="{description}">'
        f'<meta property="og:image" content="{image}">'
        '<meta property="og:site_name" content="Verdier Newsroom">'
        "</head><body><p>Hello</p></body></html>"
    ).encode()


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Verdier blog</title><link>{site}/</link>
<item><title>Nouvelle usine à Lyon</title><link>{site}/news/lyon?utm_source=rss</link>
<description>&lt;p&gt;Une &lt;b&gt;usine&lt;/b&gt; neuve.&lt;/p&gt;</description>
<pubDate>Mon, 02 Mar 2026 08:00:00 GMT</pubDate></item>
<item><title>Our CSR report</title><link>{site}/news/csr</link>
<description>Read the report.</description></item>
</channel></rss>"""


@pytest.fixture(scope="session")
def site() -> Iterator[LocalSite]:
    with serve() as state:
        state.pages = {
            "/article": page_of(
                "text/html; charset=utf-8",
                page("Nous recrutons à Lyon", "Vingt postes d'ingénieurs."),
            ),
            "/news/lyon": page_of("text/html", page("Nouvelle usine à Lyon", "Une usine neuve.")),
            "/news/csr": page_of("text/html", page("Our CSR report", "Read the report.")),
            "/img/card.png": page_of("image/png", png()),
            "/report.pdf": page_of("application/pdf", b"%PDF-1.4"),
            "/feed.xml": page_of(
                "application/rss+xml", RSS.format(site=state.url).encode(), ETag='"v1"'
            ),
            "/broken.xml": page_of("text/plain", b"no feed here", 500),
        }
        yield state


@pytest.fixture
def immediate_tasks(settings, django_capture_on_commit_callbacks):
    """Background work runs at once, after the request's transaction commits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return lambda: django_capture_on_commit_callbacks(execute=True)


def as_actor(person):
    person.__dict__.pop("role_set", None)
    return actor_for_person(person)


@pytest.fixture
def program(persona) -> Program:
    return Program.objects.create(organisation=persona.organisation, name="Marque employeur")


@pytest.fixture
def supporter(persona) -> AmbassadorType:
    found, _ = AmbassadorType.objects.get_or_create(
        organisation=persona.organisation, kind="supporter"
    )
    return found


@pytest.fixture
def enrol(program, supporter):
    """enrol(person) -> an active enrolment in the program."""

    def make(person, ambassador_type: AmbassadorType | None = None, target=None):
        return Enrolment.objects.create(
            program=target or program,
            person=person,
            ambassador_type=ambassador_type or supporter,
            status=Enrolment.Status.ACTIVE,
        )

    return make
