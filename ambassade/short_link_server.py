"""The short-link server (`ambassade redirect`): uvicorn on uvloop, whose HTTP/1.1 protocol
answers a warm short link itself and hands every other request to ambassade/asgi.py.

A click is a tiny request: what it costs is mostly the server's own work around it.
Under uvicorn the request is parsed (httptools), decided and answered on the event loop's
one thread, in the parser's callback, before any ASGI scope, task or message exists; under
granian each request crossed from its Rust threads to Python's and back, which cost more
than the click itself (decision 0048). The rules, headers and click event are asgi.py's
quick answer (tracking/fastpath.py). Whatever it does not answer (a cold code, previews,
possible self-clicks, withdrawn links, unknown codes, HEAD, any other path, a request
while an earlier one of the same connection is still being answered) goes on through
uvicorn's own ASGI cycle to asgi.py, which looks cold codes up and gives the rest to
Django.
"""

from __future__ import annotations

import asyncio
from typing import Any

from django.core.signals import setting_changed
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from ambassade import asgi
from ambassade.tracking import fastpath

# What asgi.py reads of a request, by header name as uvicorn gives it (lower-case bytes):
# made at the first request, and again after a change of settings.
_names: dict[bytes, str] = {}


def _meta_names() -> dict[bytes, str]:
    if not _names:
        names = fastpath.meta_names(asgi.SCHEME_META_KEYS)
        _names.update((name.encode(), key) for name, key in names.items())
    return _names


setting_changed.connect(lambda **kwargs: _names.clear())


def meta_of(client: tuple[str, int] | None, headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """The request.META entries the quick answer reads, named and joined as Django's
    ASGIRequest does (a header named with "_" is never one of them)."""
    meta = {"REMOTE_ADDR": client[0] if client else ""}
    names = _meta_names()
    for name, raw in headers:
        key = names.get(name)
        if key is not None:
            value = raw.decode("latin1")
            meta[key] = f"{meta[key]},{value}" if key in meta else value
    return meta


# The headers of recent answers as written, by the identity of the list the quick answer
# gave (fastpath keeps one list per link and scheme): a busy link's are the same for every
# click. Each entry holds its list, so that no other list can take its id.
_heads: dict[int, tuple[list[tuple[bytes, bytes]], bytes]] = {}


def _lines(headers: list[tuple[bytes, bytes]]) -> bytes:
    return b"".join(name + b": " + value + b"\r\n" for name, value in headers)


def _head(headers: list[tuple[bytes, bytes]]) -> bytes:
    found = _heads.get(id(headers))
    if found is not None and found[0] is headers:
        return found[1]
    if len(_heads) >= 4096:
        _heads.clear()
    written = _lines(headers)
    _heads[id(headers)] = (headers, written)
    return written


# uvicorn's default headers (the date) as written: it makes a new list once a second.
_defaults: tuple[Any, bytes] = (None, b"")


def _default_lines(defaults: list[tuple[bytes, bytes]]) -> bytes:
    global _defaults
    if _defaults[0] is not defaults:
        _defaults = (defaults, _lines(defaults))
    return _defaults[1]


class ShortLinkProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol; a GET of a warm short link is answered as soon as its
    headers are read."""

    answered = False  # this request was answered here: its body, if any, is ignored

    def on_message_begin(self) -> None:
        # uvicorn's, less the ASGI scope, made only for a request that needs one.
        self.url = b""
        self.expect_100_continue = False
        self.headers = []
        self.answered = False

    def on_headers_complete(self) -> None:
        if self._answer_quickly():
            return
        url, headers, expect = self.url, self.headers, self.expect_100_continue
        super().on_message_begin()  # the scope uvicorn makes for each request
        self.url, self.expect_100_continue = url, expect
        self.scope["headers"] = self.headers = headers
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self.answered:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if not self.answered:
            super().on_message_complete()

    def _answer_quickly(self) -> bool:
        if self.pipeline or (self.cycle is not None and not self.cycle.response_complete):
            return False  # answers go out in the order of the requests
        if self.parser.get_method() != b"GET":
            return False
        path = self.url.partition(b"?")[0]  # a query string (fbclid=...) changes nothing
        if not path.isascii():
            return False
        code = fastpath.code_of("GET", path.decode("ascii"))
        if code is None:
            return False
        meta = meta_of(self.client, self.headers)
        found = asgi.warm_answer(code, meta, asgi.scheme_from_meta(self.scheme or "http", meta))
        if found is None:
            return False
        self._send(*found)
        return True

    def _send(self, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        """Writes the answer, then does what uvicorn does once a response is complete."""
        keep_alive = self.parser.should_keep_alive()
        head = STATUS_LINE[status] + _default_lines(self.server_state.default_headers)
        head += _head(headers)
        self.transport.write(head + (b"\r\n" if keep_alive else b"connection: close\r\n\r\n"))
        self.answered = True
        self.server_state.total_requests += 1
        if not keep_alive:
            self.transport.close()
            return
        self._idle_since = self.loop.time()
        if self._idle_timer is None:
            self._idle_timer = self.loop.call_later(self.timeout_keep_alive, self._idle_check)

    # Keep-alive after a quick answer. uvicorn cancels a timer when data arrives and arms a
    # new one after each answer; a timer costs more than the rest of a quick answer's
    # writing, so these answers share one per connection, which looks at the time the
    # connection became idle when it fires and waits again for what is left.
    _idle_since: float | None = None  # None: a request is being read or answered
    _idle_timer: asyncio.TimerHandle | None = None

    def _unset_keepalive_if_required(self) -> None:
        super()._unset_keepalive_if_required()  # uvicorn's timer, armed after Django's answers
        self._idle_since = None

    def _idle_check(self) -> None:
        self._idle_timer = None
        if self._idle_since is None or self.transport.is_closing():
            return
        left = self._idle_since + self.timeout_keep_alive - self.loop.time()
        if left > 0:
            self._idle_timer = self.loop.call_later(left, self._idle_check)
        else:
            self.timeout_keep_alive_handler()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        super().connection_lost(exc)
