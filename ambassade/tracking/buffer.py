"""The durable buffer between a redirect and the database.

A redirect never waits for the database: each web process appends its click events, one
JSON object a line, to a spool file of its own for the current minute
(``DATA_DIR/clicks/<UTC minute>-<host>-<pid>-<random>.jsonl``, append mode, one
``write`` per event so that threads never interleave), or, with ``CLICK_BUFFER=redis``,
to a Redis stream (and to the spool file whenever Redis does not answer). The periodic
ingestion (``ingest.py``) reads a file only once its minute is over. An event that ends
up in both (Redis took it but answered after the timeout) carries one id, given in
``hot.py``, and is stored once.

The short-link servers' quick answers, on an event loop, hand their events over
``batched``: the events of one turn of the loop are written together once it has sent its
answers (one ``write``, or one round trip to Redis, for all of them), microseconds later.
A process killed in between loses them; a stopping worker writes them first (``flush``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import socket
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings

logger = logging.getLogger(__name__)

STREAM_KEY = "ambassade:clicks"
SUFFIX = ".jsonl"
MINUTE_FORMAT = "%Y%m%dT%H%M"


def minute_name(minute: int) -> str:
    return time.strftime(MINUTE_FORMAT, time.gmtime(minute * 60))


def minute_of(name: str) -> int | None:
    """The minute (since the epoch) a spool file name belongs to, or None if it is not ours."""
    try:
        moment = datetime.strptime(name[:13], MINUTE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
    return int(moment.timestamp()) // 60


class SpoolWriter:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.lock = threading.Lock()
        self.pid = 0
        self.token = ""
        self.minute = -1
        self.fd = -1
        self.old: list[tuple[int, int]] = []  # (minute, fd) kept open a little while

    def _open(self, minute: int) -> None:
        pid = os.getpid()
        if pid != self.pid:  # a forked web worker never shares its parent's file
            self.pid, self.token, self.old, self.fd = pid, secrets.token_hex(3), [], -1
        self.directory.mkdir(parents=True, exist_ok=True)
        host = socket.gethostname().replace("-", "")[:40] or "host"
        path = self.directory / f"{minute_name(minute)}-{host}-{pid}-{self.token}{SUFFIX}"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if self.fd >= 0:
            self.old.append((self.minute, self.fd))
        # A thread may still be writing to last minute's file: close only older ones.
        for old_minute, old_fd in list(self.old):
            if old_minute < minute - 1:
                os.close(old_fd)
                self.old.remove((old_minute, old_fd))
        self.minute, self.fd = minute, fd

    def reset(self) -> None:
        """In a forked child: forget the parent's files (it opens its own)."""
        self.lock = threading.Lock()
        self.pid, self.minute, self.fd, self.old = 0, -1, -1, []

    def append(self, line: bytes) -> None:
        """One or more whole lines, in one write."""
        minute = int(time.time()) // 60
        if minute != self.minute:
            with self.lock:
                if minute != self.minute:
                    self._open(minute)
        os.write(self.fd, line)


_spool = SpoolWriter(settings.CLICK_SPOOL_DIR)
# A forked web worker must write files of its own, never its parent's.
os.register_at_fork(after_in_child=lambda: _spool.reset())
_redis_client: Any = None


def _redis() -> Any:
    global _redis_client
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(
            str(settings.REDIS_URL), socket_timeout=0.25, socket_connect_timeout=0.25
        )
    return _redis_client


def encode(event: dict[str, Any]) -> bytes:
    """One line of JSON: orjson's, about a fifteenth of the standard library's time for a
    click (UTF-8 where that wrote escapes; the ingestion reads either)."""
    try:
        return orjson.dumps(event) + b"\n"
    except orjson.JSONEncodeError:  # a lone surrogate, which orjson refuses: escaped instead
        return (json.dumps(event, separators=(",", ":"), ensure_ascii=True) + "\n").encode()


def _write(lines: list[bytes]) -> None:
    """To the stream, or to the spool file if Redis does not answer; never raises."""
    try:
        if settings.CLICK_BUFFER == "redis":
            try:
                if len(lines) == 1:
                    _redis().xadd(STREAM_KEY, {"e": lines[0]})
                else:  # one round trip for all (an event that arrives twice is stored once)
                    pipeline = _redis().pipeline(transaction=False)
                    for line in lines:
                        pipeline.xadd(STREAM_KEY, {"e": line})
                    pipeline.execute()
                return
            except Exception:
                logger.warning("click stream unavailable; writing to the spool file")
        _spool.append(b"".join(lines))
    except Exception:
        logger.exception("%d click events could not be buffered", len(lines))


# The loop and the lines of the turn under way, by thread: a loop runs in one thread, and
# the thread is known without a system call (asyncio.get_running_loop() makes one on
# Python 3.11, which is asked only at a turn's first event).
_pending: dict[int, tuple[asyncio.AbstractEventLoop, list[bytes]]] = {}


def _flush_turn(thread: int) -> None:
    batch = _pending.pop(thread, None)
    if batch is not None:  # a batch is made with its first line
        _write(batch[1])


def flush() -> None:
    """Writes every batched event now (a stopping worker)."""
    for thread in list(_pending):
        _flush_turn(thread)


def hand_over(event: dict[str, Any], *, batched: bool = False) -> None:
    """Buffers one event; never raises (a lost click is better than a failed redirect).
    ``batched``: called on a running event loop, which writes it at the end of its turn."""
    try:
        line = encode(event)
    except Exception:
        logger.exception("a click event could not be encoded")
        return
    if batched:
        thread = threading.get_ident()
        batch = _pending.get(thread)
        if batch is not None:
            if batch[0].is_running():
                batch[1].append(line)
                return
            _flush_turn(thread)  # its loop stopped before the turn ended: written now
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            _pending[thread] = (loop, [line])
            loop.call_soon(_flush_turn, thread)
            return
    _write([line])
