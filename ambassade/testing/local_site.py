"""A small web site on 127.0.0.1 for tests that fetch pages, feeds and images.

Tests never reach the internet: they describe the pages they need and fetch them from
this server. While it runs, its address and port are an intranet host the operator
allows (``OUTBOUND_ALLOWED_HOSTS``), exactly as in production; ``serve(allowed=False)``
leaves it unlisted, for tests of the refusals.

    with serve({"/page": page_of("text/html", b"<title>x</title>")}) as site:
        fetch(f"{site.url}/page")
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# A body may depend on the request's headers (to echo the Host header, for instance).
Body = bytes | Callable[[Mapping[str, str]], bytes]


@dataclass
class Page:
    content_type: str
    body: Body
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering


def page_of(content_type: str, body: Body, status: int = 200, **headers: str) -> Page:
    return Page(
        content_type, body, status, {name.replace("_", "-"): v for name, v in headers.items()}
    )


def redirect_to(location: str, status: int = 302) -> Page:
    return Page("text/plain", b"", status, {"Location": location})


@dataclass
class LocalSite:
    url: str = ""
    pages: dict[str, Page] = field(default_factory=dict)
    hits: list[tuple[str, dict[str, str]]] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    site: LocalSite

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        headers = dict(self.headers)
        self.site.hits.append((self.path, headers))
        found = self.site.pages.get(self.path.split("?")[0]) or Page(
            "text/plain", b"not found", 404
        )
        if found.delay:
            time.sleep(found.delay)
        etag = found.headers.get("ETag")
        if etag and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        body = found.body(headers) if callable(found.body) else found.body
        self.send_response(found.status)
        self.send_header("Content-Type", found.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in found.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def operator_allows(*entries: str) -> Iterator[None]:
    """Adds ``host:port`` entries to ``OUTBOUND_ALLOWED_HOSTS`` for the duration.

    The list is changed in place, not overridden: a server may outlive a test (module or
    session fixtures), and tests that override settings meanwhile restore the settings
    object they found, which would drop an override made in between.
    """
    from django.conf import settings

    allowed: list[str] = settings.OUTBOUND_ALLOWED_HOSTS
    allowed.extend(entries)
    try:
        yield
    finally:
        for entry in entries:
            allowed.remove(entry)


@contextmanager
def serve(pages: Mapping[str, Page] | None = None, *, allowed: bool = True) -> Iterator[LocalSite]:
    site = LocalSite(pages=dict(pages or {}))
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    site.url = f"http://127.0.0.1:{port}"
    try:
        if allowed:
            with operator_allows(f"127.0.0.1:{port}"):
                yield site
        else:
            yield site
    finally:
        server.shutdown()
        server.server_close()
