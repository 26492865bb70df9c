"""Runs jobs in threads released at the same instant, as two workers would race."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Runs the jobs in threads released at the same instant; returns results or errors.

    Each thread uses its own database connection (closed at the end): on PostgreSQL the
    jobs really run at once; on SQLite they queue on the write lock.
    """
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as error:  # collected: the test reads each outcome
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
