"""Runs ``ambassade worker`` with a timing hook, for scripts/benchmark_publishing.py.

    python scripts/benchmark_publishing_worker.py TIMINGS.jsonl [PROFILE.html]

The hook wraps, without changing what they do:

- ``httpx.HTTPTransport.handle_request`` and the reading of each answer's body: the time
  spent there is the network call (sending the request on loopback, the PDS working,
  reading its answer); building the client, the SSRF checks and parsing the JSON are
  the product's own time, outside the network call;
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
from collections.abc import Iterator
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Clock:
    """What the current task spent inside the network calls (a worker runs one at a time)."""

    def __init__(self) -> None:
        self.network = 0.0
        self.calls = 0

    def hook(self) -> None:
        import httpx

        clock = self
        handle_request = httpx.HTTPTransport.handle_request

        class TimedStream(httpx.SyncByteStream):
            def __init__(self, stream: Any) -> None:
                self.stream = stream

            def __iter__(self) -> Iterator[bytes]:
                chunks = iter(self.stream)
                while True:
                    began = time.perf_counter()
                    try:
                        chunk = next(chunks)
                    except StopIteration:
                        return
                    finally:
                        clock.network += time.perf_counter() - began
                    yield chunk

            def close(self) -> None:
                self.stream.close()

        def timed(transport: Any, request: Any) -> Any:
            began = time.perf_counter()
            try:
                response = handle_request(transport, request)
            finally:
                clock.network += time.perf_counter() - began
                clock.calls += 1
            response.stream = TimedStream(response.stream)
            return response

        httpx.HTTPTransport.handle_request = timed  # type: ignore[method-assign]


def install(path: str) -> None:
    from django.db import connection

    from ambassade.sharing import publishing

    clock = Clock()
    clock.hook()
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

    profiler = Profiler(interval=0.001)
    profiler.start()
    try:
        return int(ambassade(["worker"]) or 0)
    finally:
        profiler.stop()
        with open(argv[1].removesuffix(".html") + ".txt", "w") as report:
            report.write(profiler.output_text(unicode=True, show_all=False))
        with open(argv[1], "w") as report:
            report.write(profiler.output_html())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
