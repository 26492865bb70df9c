"""The lean path of ambassade/asgi.py: same answer and same event as the view, without
Django for a browser's click, and Django for everything it hands over."""

from __future__ import annotations

import json
import time
import types

import pytest
from django.test import Client

from ambassade import asgi
from ambassade.tracking import actions, lookup
from ambassade.tracking.models import Click, TrackedLink
from ambassade.tracking.tests.asgi_client import LeanClient
from ambassade.tracking.tests.conftest import BROWSER, ingest_all

pytestmark = pytest.mark.django_db


def lean_get(path: str, **headers):
    headers.setdefault("HTTP_USER_AGENT", BROWSER)
    headers.setdefault("REMOTE_ADDR", "203.0.113.7")
    return LeanClient().get(path, **headers)


def test_a_warm_code_is_answered_without_django(
    make_link, django_calls, django_assert_num_queries
) -> None:
    link = make_link()
    view = Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")
    with django_assert_num_queries(0):
        response = lean_get(f"/r/{link.code}", QUERY_STRING="fbclid=abc")
    assert django_calls == []
    assert response.status_code == 302 and response.content == b""
    for header in ("Location", "Cache-Control", "Referrer-Policy", "X-Robots-Tag"):
        assert response[header] == view[header]
    assert response["X-Content-Type-Options"] == "nosniff"
    ingest_all()
    first, second = Click.objects.filter(link=link).order_by("time")
    same = ("is_human", "visitor", "device", "browser", "network", "language")
    assert [getattr(first, name) for name in same] == [getattr(second, name) for name in same]


def test_a_cold_code_is_looked_up_then_answered_without_django(make_link, django_calls) -> None:
    link = make_link()
    response = lean_get(f"/r/{link.code}")
    assert response.status_code == 302 and "utm_source=linkedin" in response["Location"]
    assert django_calls == []
    assert lookup.cached(link.code) is not None


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_USER_AGENT": "LinkedInBot/1.0"},  # the card page
        {"HTTP_COOKIE": "sessionid=abc"},  # perhaps the sharer (who has an account)
    ],
)
def test_other_cases_go_on_to_django(make_link, django_calls, headers) -> None:
    link = make_link()
    lean_get(f"/r/{link.code}")  # warm
    response = lean_get(f"/r/{link.code}", **headers)
    assert django_calls == [f"/r/{link.code}"]
    assert response.status_code in {200, 302}


def test_head_unknown_and_malformed_codes_go_on_to_django(make_link, django_calls) -> None:
    link = make_link()
    assert LeanClient().head(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER).status_code == 302
    assert lean_get("/r/Unknown99").status_code == 404
    assert lean_get("/r/%%%").status_code == 404
    assert lean_get("/healthz").status_code == 200
    assert django_calls == [f"/r/{link.code}", "/r/Unknown99", "/r/%%%", "/healthz"]


def test_the_lean_path_writes_the_same_event_as_the_view(make_link, isolated_buffer) -> None:
    link = make_link()
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")
    lean_get(f"/r/{link.code}", HTTP_ACCEPT_LANGUAGE="fr-FR", HTTP_REFERER="https://t.co/x")
    Client().get(
        f"/r/{link.code}",
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR="203.0.113.7",
        HTTP_ACCEPT_LANGUAGE="fr-FR",
        HTTP_REFERER="https://t.co/x",
    )
    [path] = isolated_buffer.glob("*.jsonl")
    _first, lean_event, view_event = (json.loads(line) for line in path.read_text().splitlines())
    # Each event has an id of its own; all the rest is the same.
    assert lean_event.pop("i") != view_event.pop("i")
    for event in (lean_event, view_event):
        event.pop("t")
    assert lean_event == view_event


def test_a_withdrawal_stops_the_lean_redirect_within_5_seconds(
    make_link, django_calls, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    link = make_link()
    assert lean_get(f"/r/{link.code}").status_code == 302
    # The withdrawal happens in another web process: this one's own copy stays as it was.
    own_copy = dict(lookup._last_known)
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_link(TrackedLink.objects.get(pk=link.pk))
    lookup._last_known.update(own_copy)
    assert lean_get(f"/r/{link.code}").status_code == 302  # within the seconds it trusts
    later = time.time() + lookup.LOCAL_FRESH_SECONDS + 0.1
    monkeypatch.setattr(lookup, "time", types.SimpleNamespace(time=lambda: later))
    response = lean_get(f"/r/{link.code}")
    assert response.status_code == 410 and "withdrawn" in response.content.decode()


def test_plain_http_goes_to_https_and_a_loopback_proxy_is_believed(
    make_link, django_calls, settings
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    link = make_link()
    response = lean_get(f"/r/{link.code}", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    django_calls.clear()
    proxied = lean_get(f"/r/{link.code}", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 302 and django_calls == []
    assert proxied["Strict-Transport-Security"].startswith("max-age=3600")
    # The same header from anywhere else is not believed: the request is plain HTTP.
    spoofed = lean_get(f"/r/{link.code}", HTTP_X_FORWARDED_PROTO="https")
    assert spoofed.status_code == 301


def test_the_meta_is_read_as_django_reads_it() -> None:
    scope = {
        "client": ("198.51.100.4", 5000),
        "headers": [
            (b"x-forwarded-for", b"10.0.0.1"),
            (b"x-forwarded-for", b"203.0.113.9"),
            (b"x_forwarded_for", b"6.6.6.6"),  # an underscore: ignored, as Django does
            (b"user-agent", b"Firefox\xe9"),
        ],
    }
    assert asgi.meta_of(scope) == {
        "REMOTE_ADDR": "198.51.100.4",
        "HTTP_X_FORWARDED_FOR": "10.0.0.1,203.0.113.9",
        "HTTP_USER_AGENT": "Firefox\xe9",
    }


def test_a_failure_in_the_lean_path_leaves_the_request_to_django(
    make_link, django_calls, monkeypatch
) -> None:
    link = make_link()
    lean_get(f"/r/{link.code}")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(asgi.fastpath, "answer", broken)
    assert lean_get(f"/r/{link.code}").status_code == 302
    assert django_calls == [f"/r/{link.code}"]
