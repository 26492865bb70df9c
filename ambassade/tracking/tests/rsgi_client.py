"""A test client that sends its requests through ambassade/rsgi.py, as `ambassade redirect`
runs it under granian.

Same calls as Django's test client. The request becomes an RSGI scope and protocol with
what granian gives an application (headers as text, lower-case names, a value that is
not visible ASCII left out, the path percent-decoded); the answer comes back as an
HttpResponse. The server itself is exercised by test_short_link_server.py.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import unquote

from asgiref.sync import async_to_sync
from django.core import signals
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import Client

from ambassade import rsgi


class Headers:
    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._items = items

    def items(self) -> list[tuple[str, str]]:
        return list(self._items)

    def get(self, key: str, default: Any = None) -> Any:
        return next((value for name, value in self._items if name == key), default)


class Scope:
    proto = "http"
    http_version = "1.1"
    authority = None

    def __init__(self, environ: dict[str, Any]) -> None:
        items = []
        for key, value in environ.items():
            if key.startswith("HTTP_") and value != "":
                items.append((key[5:].lower().replace("_", "-"), str(value)))
            elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
                items.append((key.lower().replace("_", "-"), str(value)))
        # What granian does with a value it cannot give as text: leaves the header out.
        self.headers = Headers(
            [(name, value) for name, value in items if value.isascii() and value.isprintable()]
        )
        self.method = environ["REQUEST_METHOD"]
        self.scheme = environ.get("wsgi.url_scheme", "http")
        path = environ["PATH_INFO"].encode("latin1")  # WSGI's way of carrying bytes
        self.path = unquote(path.decode("utf-8", "replace"))
        self.query_string = str(environ.get("QUERY_STRING", ""))
        self.client = f"{environ.get('REMOTE_ADDR', '127.0.0.1')}:50000"
        self.server = f"{environ.get('SERVER_NAME', 'testserver')}:80"


class Protocol:
    """What granian's RSGIHTTPProtocol offers an application, answers kept for the test."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.status: int | None = None
        self.headers: list[tuple[str, str]] = []
        self.chunks: list[bytes] = []

    async def __call__(self) -> bytes:
        return self.body

    async def client_disconnect(self) -> None:
        await asyncio.Event().wait()  # the client stays until the answer is complete

    def _answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        assert self.status is None, "answered twice"
        assert all(isinstance(n, str) and isinstance(v, str) for n, v in headers)
        self.status, self.headers, self.chunks = status, headers, [body]

    def response_empty(self, status: int, headers: list[tuple[str, str]]) -> None:
        self._answer(status, headers, b"")

    def response_bytes(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self._answer(status, headers, body)

    def response_str(self, status: int, headers: list[tuple[str, str]], body: str) -> None:
        self._answer(status, headers, body.encode())

    def response_stream(self, status: int, headers: list[tuple[str, str]]) -> Protocol:
        self._answer(status, headers, b"")
        return self

    async def send_bytes(self, data: bytes) -> None:
        self.chunks.append(data)


class ShortLinkClient(Client):
    """Django's test client, but each request goes through ambassade.rsgi.application."""

    def request(self, **request: Any) -> HttpResponse:  # type: ignore[override]
        environ = self._base_environ(**request)
        protocol = Protocol(environ["wsgi.input"].read())
        # As Django's own clients do: the test's transaction must survive the request.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            async_to_sync(rsgi.application.__rsgi__)(Scope(environ), protocol)
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        assert protocol.status is not None, "no answer"
        response = HttpResponse(b"".join(protocol.chunks), status=protocol.status)
        del response["Content-Type"]
        for name, value in protocol.headers:
            response[name] = value
        return response
