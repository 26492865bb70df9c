"""The short-link server's application (ambassade/rsgi.py) and the lookups behind every
quick answer: one per cold code however many requests wait for it, and a busy code read
again in the background before its copy expires."""

from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync

from ambassade import asgi, rsgi
from ambassade.tracking import actions, fastpath, lookup
from ambassade.tracking.models import TrackedLink
from ambassade.tracking.tests.asgi_client import LeanClient
from ambassade.tracking.tests.conftest import BROWSER
from ambassade.tracking.tests.rsgi_client import Protocol, Scope, ShortLinkClient

pytestmark = pytest.mark.django_db

VISITOR = {"HTTP_USER_AGENT": BROWSER, "REMOTE_ADDR": "203.0.113.7"}


def test_a_warm_code_gets_the_web_servers_answer_without_django(
    make_link, django_calls, django_assert_num_queries
) -> None:
    link = make_link()
    web = LeanClient().get(f"/r/{link.code}", **VISITOR)
    with django_assert_num_queries(0):
        short = ShortLinkClient().get(f"/r/{link.code}", QUERY_STRING="fbclid=abc", **VISITOR)
    assert django_calls == []
    assert short.status_code == 302 and short.content == b""
    assert sorted(short.items()) == sorted(web.items())


def test_what_it_does_not_answer_goes_to_django_and_comes_back_whole(
    make_link, django_calls
) -> None:
    link = make_link()
    client = ShortLinkClient()
    assert client.get("/healthz").status_code == 200
    assert client.get("/r/Unknown99", **VISITOR).status_code == 404
    card = client.get(f"/r/{link.code}", HTTP_USER_AGENT="LinkedInBot/1.0")
    assert card.status_code == 200 and "Join us as a welder" in card.content.decode()
    rejected = client.post("/api/v1/conversions", data="{not json", content_type="application/json")
    assert rejected.status_code in {400, 401, 403}  # Django answered it, in its format
    assert json.loads(rejected.content)
    assert django_calls == ["/healthz", "/r/Unknown99", f"/r/{link.code}", "/api/v1/conversions"]


def test_an_answer_django_sends_in_pieces_is_streamed(monkeypatch) -> None:
    async def in_pieces(scope, receive, send):
        assert (await receive())["body"] == b"sent"
        headers = [(b"content-type", b"text/csv"), (b"set-cookie", b"a=1"), (b"set-cookie", b"b=2")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for piece in (b"a,b\n", b"1,2\n"):
            await send({"type": "http.response.body", "body": piece, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    monkeypatch.setattr(asgi, "django_application", in_pieces)
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/export", "REMOTE_ADDR": "192.0.2.1"}
    protocol = Protocol(b"sent")
    async_to_sync(rsgi.application.__rsgi__)(Scope(environ), protocol)
    assert protocol.status == 200
    assert protocol.headers == [
        ("content-type", "text/csv"),
        ("set-cookie", "a=1"),
        ("set-cookie", "b=2"),
    ]
    assert b"".join(protocol.chunks) == b"a,b\n1,2\n"


def test_a_query_in_utf_8_reaches_django_as_its_bytes() -> None:
    scope = Scope({"REQUEST_METHOD": "GET", "PATH_INFO": "/r/abc", "REMOTE_ADDR": "[::1]"})
    scope.query_string = "q=caf\u00e9&x=%20y"
    built = rsgi.asgi_scope(scope, "https")
    assert built["query_string"] == "q=café&x=%20y".encode()
    assert built["client"] == ("::1", 50000) and built["scheme"] == "https"


@pytest.mark.parametrize(
    ("address", "forwarded", "scheme"),
    [("127.0.0.1", "https", "https"), ("::1", "https", "https"), ("198.51.100.4", "https", "http")],
)
def test_headers_address_and_scheme_are_read_as_the_web_server_reads_them(
    address, forwarded, scheme
) -> None:
    headers = [
        ("x-forwarded-for", "10.0.0.1"),
        ("x-forwarded-for", "203.0.113.9"),
        ("x_forwarded_for", "6.6.6.6"),  # an underscore: ignored, as Django does
        ("x-forwarded-proto", forwarded),
        ("user-agent", BROWSER),
    ]
    host = f"[{address}]" if ":" in address else address
    short_scope = Scope({"REQUEST_METHOD": "GET", "PATH_INFO": "/r/abc"})
    short_scope.client = f"{host}:5000"
    short_scope.headers = type(short_scope.headers)(headers)
    web_scope = {
        "type": "http",
        "scheme": "http",
        "client": (address, 5000),
        "headers": [(name.encode(), value.encode()) for name, value in headers],
    }
    meta = rsgi.meta_of(short_scope)
    assert meta == asgi.meta_of(web_scope)
    assert rsgi.scheme_of(short_scope, meta) == asgi.forwarded_scheme(web_scope)["scheme"]
    assert rsgi.scheme_of(short_scope, meta) == scheme


def test_requests_waiting_for_a_cold_code_share_one_lookup(
    make_link, monkeypatch, django_calls
) -> None:
    link = make_link()
    lookups: list[str] = []
    warm_up = fastpath.warm_up

    def counted(code: str) -> None:
        lookups.append(code)
        warm_up(code)

    monkeypatch.setattr(fastpath, "warm_up", counted)

    async def burst() -> list:
        asks = [asgi.quick_answer(link.code, VISITOR, "http", text=True) for _ in range(20)]
        return await asyncio.gather(*asks)

    answers = async_to_sync(burst)()
    assert lookups == [link.code]
    assert [status for status, _headers in answers] == [302] * 20


def test_a_busy_code_is_read_again_before_its_copy_expires(
    make_link, django_calls, django_capture_on_commit_callbacks
) -> None:
    link = make_link()

    async def ask():
        return await asgi.quick_answer(link.code, VISITOR, "http")

    assert async_to_sync(ask)()[0] == 302
    # Withdrawn in another web process: this one's own copy stays as it was, and is now
    # 4 seconds old: still trusted, but old enough to be read again.
    own_copy = dict(lookup._last_known)
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_link(TrackedLink.objects.get(pk=link.pk))
    seen, entry = own_copy[link.code]
    lookup._last_known[link.code] = (seen - 4, entry)

    async def answered_then_refreshed():
        answer = await ask()  # from the copy: nobody waits for the lookup
        assert link.code in asgi._under_way
        await asgi._under_way[link.code]
        return answer, await ask()

    first, second = async_to_sync(answered_then_refreshed)()
    assert first[0] == 302
    assert second is None  # Django answers now: 410, the link is withdrawn
    assert lookup.cached(link.code)["w"] == "gone"
