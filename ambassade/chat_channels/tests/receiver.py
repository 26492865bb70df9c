"""A local webhook receiver: an HTTP server on 127.0.0.1 that stands for Slack or Teams.

It keeps every JSON body it receives and answers with the statuses it is told, in
order (the last one repeats). Its address is allowed as an operator's intranet host for
the duration, exactly as a production relay would be (``OUTBOUND_ALLOWED_HOSTS``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ambassade.testing.local_site import operator_allows


@dataclass
class Receiver:
    url: str = ""
    statuses: list[int] = field(default_factory=lambda: [200])
    answer: bytes = b"ok"
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what the shape check found wrong
    check: Any = None  # a function(body) -> list of problems

    def next_status(self) -> int:
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]


class _Handler(BaseHTTPRequestHandler):
    receiver: Receiver

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        self.receiver.headers.append(dict(self.headers))
        try:
            body = json.loads(raw)
        except ValueError:
            self.receiver.problems.append("not JSON")
            body = None
        else:
            self.receiver.received.append(body)
            if self.receiver.check is not None:
                self.receiver.problems.extend(self.receiver.check(body))
        status = 400 if self.receiver.problems and body is None else self.receiver.next_status()
        if self.receiver.problems and status < 300:
            status = 400  # like the real services: a malformed message is refused
            self.receiver.answer = "; ".join(self.receiver.problems).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(self.receiver.answer)))
        self.end_headers()
        self.wfile.write(self.receiver.answer)


@contextmanager
def receive(*statuses: int, check: Any = None, path: str = "/hook") -> Iterator[Receiver]:
    receiver = Receiver(statuses=list(statuses) or [200], check=check)
    handler = type("Handler", (_Handler,), {"receiver": receiver})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    receiver.url = f"http://127.0.0.1:{port}{path}"
    try:
        with operator_allows(f"127.0.0.1:{port}"):
            yield receiver
    finally:
        server.shutdown()
        server.server_close()


def slack_problems(body: Any) -> list[str]:
    """What Slack's Block Kit would refuse in a message (the parts we use)."""
    problems = []
    if not isinstance(body, dict) or not isinstance(body.get("blocks"), list):
        return ["no blocks"]
    if not body.get("text"):
        problems.append("no fallback text")
    for block in body["blocks"]:
        kind = block.get("type")
        if kind not in {"section", "actions", "context", "header", "divider", "image"}:
            problems.append(f"unknown block {kind}")
        if kind == "section":
            if "text" not in block and "fields" not in block:
                problems.append("section without text")
            text = block.get("text", {})
            if text and (text.get("type") != "mrkdwn" or len(text.get("text", "")) > 3000):
                problems.append("bad section text")
            accessory = block.get("accessory")
            if accessory and (
                accessory.get("type") != "image"
                or not accessory.get("image_url", "").startswith("http")
                or not accessory.get("alt_text")
            ):
                problems.append("bad image accessory")
        if kind == "actions":
            for element in block.get("elements", []):
                if element.get("type") != "button" or element["text"]["type"] != "plain_text":
                    problems.append("bad button")
                if len(element["text"]["text"]) > 75 or not element.get("url"):
                    problems.append("bad button text or url")
    return problems


def teams_problems(body: Any) -> list[str]:
    """What a Teams Workflows webhook would refuse: the envelope and an Adaptive Card."""
    if not isinstance(body, dict) or body.get("type") != "message":
        return ["not a message envelope"]
    attachments = body.get("attachments")
    if not isinstance(attachments, list) or len(attachments) != 1:
        return ["not one attachment"]
    attachment = attachments[0]
    if attachment.get("contentType") != "application/vnd.microsoft.card.adaptive":
        return ["not an adaptive card"]
    card = attachment.get("content") or {}
    problems = []
    if card.get("type") != "AdaptiveCard" or card.get("version") not in {"1.4", "1.5"}:
        problems.append("bad card type or version")
    if card.get("@type") == "MessageCard" or "sections" in card:
        problems.append("a retired MessageCard")
    for element in card.get("body", []):
        if element.get("type") not in {"TextBlock", "Image", "FactSet", "Container"}:
            problems.append(f"unknown element {element.get('type')}")
    for action in card.get("actions", []):
        if action.get("type") != "Action.OpenUrl" or not action.get("url"):
            problems.append("bad action")
    return problems
