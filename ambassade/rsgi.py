"""The short-link server's application (`ambassade redirect`), in granian's own interface.

RSGI hands a request over as one object and takes the answer in one call, where ASGI
builds and reads a dictionary per message: for an answer as small as a redirect, that is
most of the cost (decision 0043). The quick answer is asgi.py's, with the same rules and
the same click event. Whatever it does not answer (previews, possible self-clicks,
withdrawn links, unknown codes, any other path) goes to Django's ASGI handler through
``to_django``, which turns the request into an ASGI scope and the answer back.

Granian leaves out of ``scope.headers`` a header whose value is not visible ASCII (a user
agent in raw UTF-8, say): such a header reaches neither path here, where `ambassade web`
would read it as Latin-1. The proxy in front passes them unchanged; browsers send none.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ambassade import asgi
from ambassade.tracking import fastpath


def host_and_port(address: str) -> tuple[str, int]:
    """("127.0.0.1", 5000) from "127.0.0.1:5000", ("::1", 5000) from "[::1]:5000"."""
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port) if port.isdigit() else 0


def meta_of(scope: Any) -> dict[str, str]:
    """The request.META entries the click reads, as asgi.meta_of names and joins them."""
    meta: dict[str, str] = {"REMOTE_ADDR": host_and_port(scope.client)[0]}
    for name, value in scope.headers.items():
        if "_" in name:  # Django ignores them: no spoofing of X-Forwarded-For by X_Forwarded_For
            continue
        key = "HTTP_" + name.upper().replace("-", "_")
        meta[key] = f"{meta[key]},{value}" if key in meta else value
    return meta


# asgi.SECURE_SCHEME_HEADERS under their META names.
_SCHEME_HEADERS = [
    ("HTTP_" + name.decode().upper().replace("-", "_"), expected.decode())
    for name, expected in asgi.SECURE_SCHEME_HEADERS.items()
]


def scheme_of(scope: Any, meta: dict[str, str]) -> str:
    """The scheme a loopback proxy announced, as asgi.forwarded_scheme reads it."""
    scheme: str = scope.scheme
    if meta["REMOTE_ADDR"] not in asgi.TRUSTED_PROXIES:
        return scheme
    for key, expected in _SCHEME_HEADERS:
        value = meta.get(key)
        if value is not None:
            scheme = "https" if value.strip().lower() == expected else "http"
    return scheme


def asgi_scope(scope: Any, scheme: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": scope.http_version,
        "method": scope.method,
        "scheme": scheme,
        "path": scope.path,
        "raw_path": quote(scope.path).encode(),
        # Granian gives the query as it came, decoded as UTF-8 (its strings are always
        # valid UTF-8), and ASGI wants those bytes back. Header values are ASCII here.
        "query_string": scope.query_string.encode(),
        "root_path": "",
        "headers": [
            (name.encode("latin1"), value.encode("latin1")) for name, value in scope.headers.items()
        ],
        "client": host_and_port(scope.client),
        "server": host_and_port(scope.server),
    }


async def to_django(scope: Any, protocol: Any, scheme: str) -> None:
    """Runs Django's ASGI handler on the request and gives its answer to granian: in one
    piece, or as a stream when Django sends it in several."""
    body = await protocol()
    delivered = False
    status = 500
    headers: list[tuple[str, str]] = []
    stream: Any = None
    answered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await protocol.client_disconnect()
        return {"type": "http.disconnect"}

    async def send(message: Mapping[str, Any]) -> None:
        nonlocal status, headers, stream, answered
        if message["type"] == "http.response.start":
            status = message["status"]
            headers = [
                (name.decode("latin1"), value.decode("latin1"))
                for name, value in message.get("headers", ())
            ]
        elif message["type"] == "http.response.body" and not answered:
            chunk = message.get("body", b"")
            more = message.get("more_body", False)
            if stream is None and not more:
                protocol.response_bytes(status, headers, chunk)
                answered = True
                return
            if stream is None:
                stream = protocol.response_stream(status, headers)
            if chunk:
                await stream.send_bytes(chunk)
            answered = not more

    await asgi.django_application(asgi_scope(scope, scheme), receive, send)


class RedirectApplication:
    """What granian calls: ``__rsgi__`` for each request, the others at a worker's start
    and stop."""

    def __rsgi_init__(self, loop: asyncio.AbstractEventLoop) -> None:
        asgi.load_django_urls()

    def __rsgi_del__(self, loop: asyncio.AbstractEventLoop) -> None:
        asgi.stop_lookups()

    async def __rsgi__(self, scope: Any, protocol: Any) -> None:
        if scope.proto != "http":
            protocol.close(404)  # no websockets here
            return
        meta = meta_of(scope)
        scheme = scheme_of(scope, meta)
        code = fastpath.code_of(scope.method, scope.path)
        if code is not None:
            found = await asgi.quick_answer(code, meta, scheme, text=True)
            if found is not None:
                protocol.response_empty(*found)
                return
        await to_django(scope, protocol, scheme)


application = RedirectApplication()
