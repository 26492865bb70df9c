"""Races as two workers would: jobs in threads released at once, on a database that lets
them (SQLite in a file)."""

from __future__ import annotations

import sqlite3
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection

# How long a thread of a race waits for SQLite's write lock before "database is locked".
# settings.py's 20 seconds suit a server; a test machine shared with other runs can leave
# a thread unscheduled for longer than that while it holds the lock.
TEST_BUSY_TIMEOUT = 120


def together(jobs: list[Callable[[], Any]], *, within: float = 120) -> list[Any]:
    """Runs the jobs in threads released at the same instant; returns results or errors.

    Each thread uses its own database connection (closed at the end): on PostgreSQL the
    jobs really run at once; on SQLite they queue on the write lock. A job still running
    after ``within`` seconds fails the test here rather than leaving no outcome.
    """
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=within)
            results[index] = job()
        except Exception as error:  # collected: the test reads each outcome
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(i, job), daemon=True) for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=within)
    stuck = [index for index, thread in enumerate(threads) if thread.is_alive()]
    if stuck:
        raise AssertionError(f"jobs {stuck} of {len(jobs)} still running after {within} s")
    return results


def errors_in(outcomes: list[Any]) -> str:
    """The exceptions among the outcomes with their tracebacks, for an assertion message
    ("" when there is none): a race that fails says where, not only that it failed."""
    return "\n".join(
        "".join(traceback.format_exception(outcome))
        for outcome in outcomes
        if isinstance(outcome, BaseException)
    )


@contextmanager
def sqlite_in_a_file(tmp_path: Path) -> Iterator[None]:
    """Moves the SQLite test database into a file for a while, as SQLite runs in production.

    The in-memory test database is shared between threads through SQLite's shared cache,
    which answers "table is locked" at once instead of waiting: it cannot show how
    concurrent transactions behave. Inside, the database is a copy in a file (WAL,
    transactions that begin IMMEDIATE: settings.py) that every new thread opens, with a
    busy timeout for a loaded machine (TEST_BUSY_TIMEOUT); the main thread's in-memory
    database is left as it was. A no-op on PostgreSQL.
    """
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "test.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    # In WAL already: threads that connect at the same instant do not each switch the
    # journal mode (settings.py's init_command) while the others open the file.
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    settings = connection.settings_dict
    name, options = settings["NAME"], settings["OPTIONS"]
    settings["NAME"] = str(path)
    settings["OPTIONS"] = {**options, "timeout": TEST_BUSY_TIMEOUT}
    try:
        yield
    finally:
        # Back before anything closes the main connection (closing the last connection
        # of an in-memory database would drop it).
        settings["NAME"], settings["OPTIONS"] = name, options
