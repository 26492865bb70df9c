"""Runs ``ambassade worker`` with a timing hook, for scripts/benchmark_publishing.py.

    python scripts/benchmark_publishing_worker.py TIMINGS.jsonl [PROFILE.html]

The hook wraps two functions of the product, without changing what they do:

- ``sharing.networks.bluesky.fetch`` (every HTTP request of the Bluesky module): the
  time spent inside it is the network's share of a post (the PDS working, plus the
  loopback round trip and httpx's own work on the request);
- ``sharing.publishing.publish`` (the body of the ``publish_target`` task): its wall and
  CPU time, the SQL queries it made and the HTTP requests inside it.

One JSON line per task is appended to TIMINGS.jsonl, written with O_APPEND so that the
work horses RQ forks (TASK_BACKEND=redis) add their lines to the same file. A timing
hook was preferred to a loopback timing proxy: a proxy adds its own hop to every call
and cannot tell which task a request belongs to. With PROFILE.html, the whole worker
runs under pyinstrument and its report is written when the worker stops.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Clock:
    """What the current task spent inside the network calls (a worker runs one at a time)."""

    def __init__(self) -> None:
        self.network = 0.0
        self.calls = 0

    def timed(self, fetch: Callable[..., Any]) -> Callable[..., Any]:
        def fetch_timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return fetch(*args, **kwargs)
            finally:
                self.network += time.perf_counter() - began
                self.calls += 1

        return fetch_timed


def install(path: str) -> None:
    from django.db import connection

    from ambassade.sharing import publishing
    from ambassade.sharing.networks import bluesky

    clock = Clock()
    bluesky.fetch = clock.timed(bluesky.fetch)  # type: ignore[attr-defined]
    publish = publishing.publish

    def publish_timed(target_id: int) -> str:
        queries = [0]

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            queries[0] += 1
            return execute(sql, params, many, context)

        clock.network, clock.calls = 0.0, 0
        began, cpu = time.perf_counter(), time.thread_time()
        result = "error"
        try:
            with connection.execute_wrapper(count):
                result = publish(target_id)
            return result
        finally:
            line = {
                "target": target_id,
                "result": result,
                "pid": os.getpid(),
                "ended": time.time(),
                "wall": time.perf_counter() - began,
                "cpu": time.thread_time() - cpu,
                "network": clock.network,
                "calls": clock.calls,
                "queries": queries[0],
            }
            descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, (json.dumps(line) + "\n").encode())
            finally:
                os.close(descriptor)

    publishing.publish = publish_timed  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    sys.path.insert(0, ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ambassade.settings")
    import django

    django.setup()
    install(argv[0])
    from ambassade.cli import main as ambassade

    if len(argv) < 2:
        return int(ambassade(["worker"]) or 0)
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    try:
        return int(ambassade(["worker"]) or 0)
    finally:
        profiler.stop()
        with open(argv[1], "w") as report:
            report.write(profiler.output_html())
        with open(argv[1].removesuffix(".html") + ".txt", "w") as report:
            report.write(profiler.output_text(unicode=True, show_all=False))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
