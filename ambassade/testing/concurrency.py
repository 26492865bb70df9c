"""Races as two workers would: jobs in threads released at once, on a database that lets
them (SQLite in a file)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
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


@contextmanager
def sqlite_in_a_file(tmp_path: Path) -> Iterator[None]:
    """Moves the SQLite test database into a file for a while, as SQLite runs in production.

    The in-memory test database is shared between threads through SQLite's shared cache,
    which answers "table is locked" at once instead of waiting: it cannot show how
    concurrent transactions behave. Inside, the database is a copy in a file (WAL, busy
    timeout, transactions that begin IMMEDIATE: settings.py) that every new thread opens;
    the main thread's in-memory database is left as it was. A no-op on PostgreSQL.
    """
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "test.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        # Back before anything closes the main connection (closing the last connection
        # of an in-memory database would drop it).
        connection.settings_dict["NAME"] = name
