"""A test client that sends its requests through ambassade/asgi.py, as the web server does.

Same calls as Django's test client (``get(path, HTTP_USER_AGENT=..., REMOTE_ADDR=...)``,
``force_login``), so that one test runs against the view and against the lean path: the
WSGI-style request Django's client builds is turned into an ASGI scope, the application
is run to its answer, and the answer comes back as an HttpResponse.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from asgiref.sync import async_to_sync, sync_to_async
from django.core import signals
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import Client

from ambassade import asgi
from ambassade.tracking import fastpath


def _header_bytes(value: str) -> bytes:
    try:
        return value.encode("latin1")
    except UnicodeEncodeError:  # what a client would send of it: its UTF-8 bytes
        return value.encode("utf-8", "surrogatepass")


def scope_of(environ: dict[str, Any]) -> dict[str, Any]:
    raw_path = environ["PATH_INFO"].encode("latin1")  # WSGI's way of carrying bytes
    headers = []
    for key, value in environ.items():
        if key.startswith("HTTP_") and value != "":
            headers.append((key[5:].lower().replace("_", "-").encode(), _header_bytes(value)))
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            headers.append((key.lower().replace("_", "-").encode(), str(value).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": environ["REQUEST_METHOD"],
        "scheme": environ.get("wsgi.url_scheme", "http"),
        "path": raw_path.decode("utf-8", "replace"),
        "raw_path": quote(raw_path).encode(),
        "query_string": str(environ.get("QUERY_STRING", "")).encode(),
        "root_path": "",
        "headers": headers,
        "client": (environ.get("REMOTE_ADDR", "127.0.0.1"), 50000),
        "server": (environ.get("SERVER_NAME", "testserver"), int(environ.get("SERVER_PORT", 80))),
    }


async def _run(scope: dict[str, Any], body: bytes) -> list[dict[str, Any]]:
    import asyncio

    sent: list[dict[str, Any]] = []
    delivered = False
    never = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await never.wait()  # the client stays connected until the answer is complete
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await asgi.application(scope, receive, send)
    return sent


class LeanClient(Client):
    """Django's test client, but each request goes through ambassade.asgi.application."""

    def request(self, **request: Any) -> HttpResponse:  # type: ignore[override]
        environ = self._base_environ(**request)
        body = environ["wsgi.input"].read()
        # As Django's own clients do: the test's transaction must survive the request.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            sent = async_to_sync(_run)(scope_of(environ), body)
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        start = next(message for message in sent if message["type"] == "http.response.start")
        content = b"".join(
            message.get("body", b"") for message in sent if message["type"] == "http.response.body"
        )
        response = HttpResponse(content, status=start["status"])
        del response["Content-Type"]
        for name, value in start.get("headers", []):
            response[name.decode("latin1")] = value.decode("latin1")
        return response


def _blocking_in_test_thread(function: Any, *args: Any) -> Any:
    return sync_to_async(function, thread_sensitive=True)(*args)


def lookups_in_test_thread(monkeypatch: Any) -> None:
    """What asgi.py runs in its lookup threads, run in the test's thread instead: only
    that thread sees the rows of the test's transaction, which must also survive the
    lookup (Django's test clients keep their requests from closing it the same way)."""
    monkeypatch.setattr(asgi, "run_blocking", _blocking_in_test_thread)
    monkeypatch.setattr(fastpath, "close_old_connections", lambda: None)
