"""A test client whose requests go through the short-link server's protocol
(ambassade/short_link_server.py), as `ambassade redirect` runs it under uvicorn.

Same calls as Django's test client. The request is written as HTTP/1.1 bytes into the
protocol, on a transport that keeps what is written back; the protocol answers it itself
or runs ambassade/asgi.py through uvicorn's ASGI cycle; the bytes written back are parsed
into an HttpResponse. The server itself is exercised by test_short_link_server.py.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httptools
from asgiref.sync import async_to_sync
from django.core import signals
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import Client
from uvicorn.config import Config
from uvicorn.server import ServerState

from ambassade import asgi
from ambassade.short_link_server import ShortLinkProtocol
from ambassade.tracking.tests.asgi_client import scope_of

HOP_BY_HOP = {"connection", "transfer-encoding", "keep-alive"}


class Transport(asyncio.Transport):
    """What uvicorn's protocol writes to, kept; the addresses a socket would give."""

    def __init__(self, client: tuple[str, int], server: tuple[str, int], secure: bool) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False
        self.info = {"peername": client, "sockname": server, "sslcontext": secure or None}

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.info.get(name, default)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def request_bytes(environ: dict[str, Any], body: bytes) -> bytes:
    """The HTTP/1.1 request a client would send for the WSGI environ Django's client built
    (its path, query and headers as the lean path's client gives them to asgi.py)."""
    scope = scope_of(environ)
    target = scope["raw_path"] + (b"?" + scope["query_string"] if scope["query_string"] else b"")
    headers = scope["headers"]
    if not any(name == b"host" for name, _value in headers):
        headers = [(b"host", scope["server"][0].encode()), *headers]
    if body and not any(name == b"content-length" for name, _value in headers):
        headers = [*headers, (b"content-length", str(len(body)).encode())]
    lines = [scope["method"].encode() + b" " + target + b" HTTP/1.1"]
    lines += [name + b": " + value for name, value in headers]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def connect(
    client: tuple[str, int], secure: bool = False, keep_alive: float = 5
) -> tuple[ShortLinkProtocol, Transport, ServerState]:
    """A new connection to the protocol, as uvicorn makes it (on the running loop)."""
    config = Config(
        app=asgi.application,
        http=ShortLinkProtocol,
        lifespan="off",
        access_log=False,
        log_config=None,
        proxy_headers=False,
        server_header=False,
        timeout_keep_alive=keep_alive,  # seconds: a fraction works too
    )
    config.load()
    state = ServerState()
    protocol = ShortLinkProtocol(config=config, server_state=state, app_state={})
    transport = Transport(client, ("testserver", 80), secure)
    protocol.connection_made(transport)
    return protocol, transport, state


async def answered(state: ServerState) -> None:
    """Once every request sent so far is answered, and the clicks of the turn written."""
    while state.tasks:
        await asyncio.gather(*state.tasks)
    await asyncio.sleep(0)  # the clicks batched in this turn of the loop are written


async def exchange(raw: bytes, client: tuple[str, int], secure: bool = False) -> bytes:
    """Feeds one connection's bytes to a new protocol; what it wrote back once every
    request is answered."""
    protocol, transport, state = connect(client, secure)
    protocol.data_received(raw)
    await answered(state)
    protocol.connection_lost(None)
    return bytes(transport.written)


class Answer:
    """httptools' callbacks for one response."""

    def __init__(self) -> None:
        self.headers: list[tuple[str, str]] = []
        self.body = bytearray()
        self.complete = False

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name.decode("latin1"), value.decode("latin1")))

    def on_body(self, body: bytes) -> None:
        self.body += body

    def on_message_complete(self) -> None:
        self.complete = True


def parse_response(raw: bytes) -> HttpResponse:
    answer = Answer()
    parser = httptools.HttpResponseParser(answer)
    parser.feed_data(raw)
    assert answer.complete, f"no complete answer in {raw[:200]!r}"
    response = HttpResponse(bytes(answer.body), status=parser.get_status_code())
    del response["Content-Type"]
    for name, value in answer.headers:
        if name.lower() not in HOP_BY_HOP:
            response[name] = value
    return response


class ShortLinkClient(Client):
    """Django's test client, but each request goes through the short-link server's
    protocol."""

    def request(self, **request: Any) -> HttpResponse:  # type: ignore[override]
        environ = self._base_environ(**request)
        raw = request_bytes(environ, environ["wsgi.input"].read())
        client = (str(environ.get("REMOTE_ADDR", "127.0.0.1")), 50000)
        secure = environ.get("wsgi.url_scheme") == "https"
        # As Django's own clients do: the test's transaction must survive the request.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            written = async_to_sync(exchange)(raw, client, secure)
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return parse_response(written)
