"""A local webhook consumer: an HTTP server on 127.0.0.1 that checks each request's
signature with the ``standardwebhooks`` library, as a real integration would."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import transaction
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from ambassade.core import events
from ambassade.core.authz import actor_for_person
from ambassade.testing.local_site import operator_allows
from ambassade.webhooks import actions

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: Any = None  # the parsed body when the signature checked out
    refusal: str = ""


@dataclass
class Consumer:
    url: str = ""
    secrets: list[str] = field(default_factory=list)  # each must verify the request
    statuses: list[int] = field(default_factory=list)  # answers in turn, then 200
    received: list[Received] = field(default_factory=list)

    def ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.received]


class _Handler(BaseHTTPRequestHandler):
    consumer: Consumer

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        got = Received({k.lower(): v for k, v in self.headers.items()}, body)
        try:
            for secret in self.consumer.secrets:
                got.verified = Webhook(secret).verify(body, got.headers)
        except WebhookVerificationError as refusal:
            got.verified, got.refusal = None, str(refusal)
        self.consumer.received.append(got)
        status = self.consumer.statuses.pop(0) if self.consumer.statuses else 200
        answer = b'{"ok": true}' if status < 300 else b"consumer says no"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


@pytest.fixture
def consumer(settings) -> Iterator[Consumer]:
    settings.TASKS = IMMEDIATE
    found = Consumer()
    handler = type("Handler", (_Handler,), {"consumer": found})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    found.url = f"http://127.0.0.1:{port}/hooks"
    try:
        # The operator opens this intranet address, as the outbound guard requires.
        with operator_allows(f"127.0.0.1:{port}"):
            yield found
    finally:
        server.shutdown()
        server.server_close()


# A public address (TEST-NET would be refused as reserved): what hooks.example.com resolves
# to here, as no test reaches a DNS server. Nothing is ever sent there: the tests that
# deliver use the local consumer.
PUBLIC_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def example_hosts_resolve(monkeypatch) -> None:
    resolve = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, str) and host.endswith("example.com"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC_ADDRESS, port))]
        return resolve(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def add_endpoint(admin: Any, consumer: Consumer, **values: Any) -> Any:
    endpoint, secret = actions.create_endpoint(actor_for_person(admin), url=consumer.url, **values)
    consumer.secrets = [secret]
    return endpoint


SHARE_PUBLISHED = {
    "target_id": 31,
    "share_id": 12,
    "person_id": 7,
    "item_id": 4,
    "network": "linkedin",
    "post_url": "https://www.linkedin.com/feed/update/urn:li:share:1",
}


def record(capture: Any, name: str, organisation: Any, **payload: Any) -> Any:
    """Records an event as an action would, and runs what follows its commit."""
    with capture(execute=True), transaction.atomic():
        return events.record(name, organisation, **payload)
