"""The WSGI fast path of warm codes: same answer and same event as the view, no query."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core import signals
from django.db import close_old_connections
from django.test import Client

from ambassade.tracking import fastpath
from ambassade.tracking.tests.conftest import BROWSER, ingest_all
from ambassade.wsgi import application

pytestmark = pytest.mark.django_db


def call(path: str, **environ: Any) -> tuple[str, dict[str, str], bytes]:
    """Calls the production WSGI application (fast path first) like a server would."""
    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_USER_AGENT": BROWSER,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    base.update(environ)
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info=None) -> None:
        answer["status"], answer["headers"] = status, dict(headers)

    # As Django's test client does: the test's transaction must survive the request.
    signals.request_started.disconnect(close_old_connections)
    try:
        body = b"".join(application(base, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
    return answer["status"], answer["headers"], body


def test_a_warm_code_is_answered_before_django(
    make_link, monkeypatch, django_assert_num_queries
) -> None:
    link = make_link()
    view = Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")
    answered = []
    original = fastpath.answer

    def counted(environ):
        answered.append(environ["PATH_INFO"])
        return original(environ)

    monkeypatch.setattr(fastpath, "answer", counted)
    with django_assert_num_queries(0):
        status, headers, body = call(f"/r/{link.code}", QUERY_STRING="fbclid=abc")
    assert answered and status == "302 Found" and body == b""
    assert headers["Location"] == view["Location"]
    assert headers["Cache-Control"] == view["Cache-Control"]
    assert headers["Referrer-Policy"] == "same-origin"
    ingest_all()
    from ambassade.tracking.models import Click

    first, second = Click.objects.filter(link=link).order_by("id")
    same = ("is_human", "visitor", "device", "browser", "network", "language")
    assert [getattr(first, name) for name in same] == [getattr(second, name) for name in same]


@pytest.mark.parametrize(
    "environ",
    [
        {"HTTP_USER_AGENT": "LinkedInBot/1.0"},  # the card page
        {"HTTP_COOKIE": "sessionid=abc"},  # perhaps the sharer (who has an account)
        {"REQUEST_METHOD": "HEAD"},
    ],
)
def test_other_cases_go_on_to_the_view(make_link, monkeypatch, environ) -> None:
    link = make_link()
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    assert fastpath.answer({**environ, "PATH_INFO": f"/r/{link.code}"}) is None
    status, _headers, _body = call(f"/r/{link.code}", **environ)
    assert status.split()[0] in {"200", "302"}


def test_a_cold_or_unknown_code_goes_on_to_the_view(make_link) -> None:
    link = make_link()
    assert fastpath.answer({"REQUEST_METHOD": "GET", "PATH_INFO": f"/r/{link.code}"}) is None
    status, headers, _ = call(f"/r/{link.code}")
    assert status == "302 Found" and "utm_source=linkedin" in headers["Location"]
    assert call("/r/Unknown99")[0].startswith("404")
    assert call("/r/%%%")[0].startswith("404")


def test_the_fast_path_writes_the_same_event(make_link, isolated_buffer) -> None:
    link = make_link()
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")
    call(f"/r/{link.code}")
    [path] = isolated_buffer.glob("*.jsonl")
    view_event, fast_event = (json.loads(line) for line in path.read_text().splitlines())
    # Each event has an id of its own; all the rest is the same.
    assert view_event.pop("i") != fast_event.pop("i")
    for event in (view_event, fast_event):
        event.pop("t")
    assert view_event == fast_event
