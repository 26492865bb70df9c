"""The short-link server's protocol (ambassade/short_link_server.py) and the lookups behind
every quick answer: one per cold code however many requests wait for it, and a busy code
read again in the background before its copy expires."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from asgiref.sync import async_to_sync

from ambassade import asgi, short_link_server
from ambassade.tracking import actions, fastpath, lookup
from ambassade.tracking.models import TrackedLink
from ambassade.tracking.tests.asgi_client import LeanClient
from ambassade.tracking.tests.conftest import BROWSER
from ambassade.tracking.tests.short_link_client import (
    ShortLinkClient,
    answered,
    connect,
    exchange,
)

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
    raw = b"POST /export HTTP/1.1\r\nhost: x\r\ncontent-length: 4\r\n\r\nsent"
    written = async_to_sync(exchange)(raw, ("192.0.2.1", 5000))
    head, _, body = written.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK")
    assert b"set-cookie: a=1\r\nset-cookie: b=2" in head and b"transfer-encoding: chunked" in head
    assert body == b"4\r\na,b\n\r\n4\r\n1,2\n\r\n0\r\n\r\n"


def _request(path: str, *, version: str = "1.1", extra: str = "") -> bytes:
    head = f"GET {path} HTTP/{version}\r\nhost: testserver\r\nuser-agent: {BROWSER}\r\n"
    return f"{head}{extra}\r\n".encode()


def _statuses(written: bytes) -> list[bytes]:
    return re.findall(rb"HTTP/1\.1 (\d{3}) ", written)


def test_requests_of_one_connection_are_answered_in_their_order(make_link, django_calls) -> None:
    link = make_link()
    ShortLinkClient().get(f"/r/{link.code}", **VISITOR)  # warm
    # Pipelined: the second is Django's; the third waits for it, then asgi.py answers it.
    unknown = "/r/Unknown99"
    raw = _request(f"/r/{link.code}") + _request(unknown) + _request(f"/r/{link.code}")
    written = async_to_sync(exchange)(raw, ("203.0.113.7", 5000))
    assert _statuses(written) == [b"302", b"404", b"302"]
    assert django_calls == [unknown]


def test_a_request_with_a_body_is_answered_and_its_body_skipped(make_link, django_calls) -> None:
    link = make_link()
    ShortLinkClient().get(f"/r/{link.code}", **VISITOR)
    raw = _request(f"/r/{link.code}", extra="content-length: 5\r\n") + b"hello"
    raw += _request(f"/r/{link.code}")
    written = async_to_sync(exchange)(raw, ("203.0.113.7", 5000))
    assert _statuses(written) == [b"302", b"302"]
    assert django_calls == []


@pytest.mark.parametrize(
    ("version", "extra", "closed"),
    [("1.1", "", False), ("1.1", "connection: close\r\n", True), ("1.0", "", True)],
)
def test_the_connection_is_kept_or_closed_as_the_client_asked(
    make_link, django_calls, version, extra, closed
) -> None:
    link = make_link()
    ShortLinkClient().get(f"/r/{link.code}", **VISITOR)
    written = async_to_sync(exchange)(
        _request(f"/r/{link.code}", version=version, extra=extra), ("203.0.113.7", 5000)
    )
    assert _statuses(written) == [b"302"]
    assert (b"connection: close" in written) is closed


async def _left_idle(protocol, transport) -> tuple[bool, bool, bytes]:
    """Whether the connection is open now, whether it is closed after 0.5 s of silence
    (its keep-alive time is 0.3 s), and what was written to it."""
    still_open = not transport.closed
    await asyncio.sleep(0.5)
    closed_when_idle = transport.closed
    protocol.connection_lost(None)
    return still_open, closed_when_idle, bytes(transport.written)


def test_a_connection_still_talking_stays_open_and_an_idle_one_closes(
    make_link, django_calls
) -> None:
    """Quick answers share one keep-alive timer per connection, which waits again when it
    fires on a connection that kept talking."""
    link = make_link()
    ShortLinkClient().get(f"/r/{link.code}", **VISITOR)  # warm

    async def talk() -> tuple[bool, bool, bytes]:
        protocol, transport, _state = connect(("203.0.113.7", 5000), keep_alive=0.3)
        for _ in range(6):  # 0.6 s of requests 0.1 s apart: never idle for 0.3 s
            protocol.data_received(_request(f"/r/{link.code}"))
            await asyncio.sleep(0.1)
        return await _left_idle(protocol, transport)

    still_open, closed_when_idle, written = async_to_sync(talk)()
    assert still_open and closed_when_idle
    assert _statuses(written) == [b"302"] * 6


def test_after_djangos_answer_the_idle_connection_closes_too(make_link, django_calls) -> None:
    link = make_link()
    ShortLinkClient().get(f"/r/{link.code}", **VISITOR)  # warm

    async def talk() -> tuple[bool, bool, bytes]:
        protocol, transport, state = connect(("203.0.113.7", 5000), keep_alive=0.3)
        protocol.data_received(_request(f"/r/{link.code}"))
        protocol.data_received(_request("/r/Unknown99"))  # Django's: uvicorn's own timer
        await answered(state)
        await asyncio.sleep(0.1)
        return await _left_idle(protocol, transport)

    still_open, closed_when_idle, written = async_to_sync(talk)()
    assert still_open and closed_when_idle
    assert _statuses(written) == [b"302", b"404"]
    assert django_calls == ["/r/Unknown99"]


@pytest.mark.parametrize(
    ("address", "forwarded", "scheme"),
    [("127.0.0.1", "https", "https"), ("::1", "https", "https"), ("198.51.100.4", "https", "http")],
)
def test_headers_address_and_scheme_are_read_as_the_web_server_reads_them(
    address, forwarded, scheme
) -> None:
    headers = [
        (b"x-forwarded-for", b"10.0.0.1"),
        (b"x-forwarded-for", b"203.0.113.9"),
        (b"x_forwarded_for", b"6.6.6.6"),  # an underscore: ignored, as Django does
        (b"x-forwarded-proto", forwarded.encode()),
        (b"user-agent", BROWSER.encode()),
        (b"accept", b"text/html"),  # not read by the quick answer: left out
    ]
    web_scope = {"type": "http", "scheme": "http", "client": (address, 5000), "headers": headers}
    meta = short_link_server.meta_of((address, 5000), headers)
    web_meta = asgi.meta_of(web_scope)
    assert meta == {key: value for key, value in web_meta.items() if key != "HTTP_ACCEPT"}
    assert asgi.scheme_from_meta("http", meta) == asgi.forwarded_scheme(web_scope)["scheme"]
    assert asgi.scheme_from_meta("http", meta) == scheme


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
        asks = [asgi.quick_answer(link.code, VISITOR, "http") for _ in range(20)]
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
