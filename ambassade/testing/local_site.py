"""A small web site on 127.0.0.1 for tests that fetch pages, feeds and images.

Tests never reach the internet: they describe the pages they need and fetch them from
this server, allowing 127.0.0.1 as an intranet host exactly as an admin would.

    with serve({"/page": page_of("text/html", b"<title>x</title>")}) as site:
        fetch(f"{site.url}/page", allowed_hosts=frozenset({"127.0.0.1"}))
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
def serve(pages: Mapping[str, Page] | None = None) -> Iterator[LocalSite]:
    site = LocalSite(pages=dict(pages or {}))
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
