"""A fake network API on 127.0.0.1 that answers any method and records every request.

``ambassade.testing.local_site`` serves GET only; the network modules also POST, so the
tests of ``sharing/networks`` use this small server instead:

    with fake_api() as api:
        api.on("POST", "/api/v1/statuses", Reply(200, {"id": "1", ...}))
        ...  # call the module with config {"api_base": api.url}
        api.requests[0].json()

Replies queued for one route are used in order and the last one repeats; a reply may
be a function of the recorded request (to play an idempotent server, for instance).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ambassade.testing.local_site import operator_allows


@dataclass
class Recorded:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        lowered = {key.lower(): value for key, value in self.headers.items()}
        return lowered.get(name.lower())

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(self.body.decode()).items()}

    def params(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(self.query).items()}


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-encoded unless bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return b"" if self.body is None else json.dumps(self.body).encode()

    def json(self) -> Any:
        return json.loads(self.encoded()) if self.encoded() else None


Answer = Reply | Callable[[Recorded], Reply]


@dataclass
class FakeApi:
    url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    routes: dict[tuple[str, str], list[Answer]] = field(default_factory=dict)
    served: list[tuple[Recorded, Reply]] = field(default_factory=list)

    def on(self, method: str, path: str, *answers: Answer) -> None:
        self.routes[(method.upper(), path)] = list(answers)

    def answer(self, recorded: Recorded) -> Reply:
        queue = self.routes.get((recorded.method, recorded.path))
        if not queue:
            return Reply(404, {"error": f"no fake route for {recorded.method} {recorded.path}"})
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return answer(recorded) if callable(answer) else answer

    def only(self, method: str, path: str) -> Recorded:
        found = [r for r in self.requests if r.method == method and r.path == path]
        assert len(found) == 1, f"{len(found)} requests to {method} {path}"
        return found[0]


class _Handler(BaseHTTPRequestHandler):
    api: FakeApi

    def log_message(self, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        parts = urlsplit(self.path)
        recorded = Recorded(
            self.command, parts.path, parts.query, dict(self.headers), self.rfile.read(length)
        )
        self.api.requests.append(recorded)
        reply = self.api.answer(recorded)
        self.api.served.append((recorded, reply))
        if reply.delay:
            time.sleep(reply.delay)
        body = reply.encoded()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    do_GET = do_POST = do_PUT = do_DELETE = _handle


@contextmanager
def fake_api() -> Iterator[FakeApi]:
    api = FakeApi()
    handler = type("Handler", (_Handler,), {"api": api})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        # Reached as an intranet host the operator allows, with its port, as in production.
        with operator_allows(f"127.0.0.1:{server.server_address[1]}"):
            yield api
    finally:
        server.shutdown()
        server.server_close()
