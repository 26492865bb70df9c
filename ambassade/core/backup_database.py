"""Copying the database out of a running instance, and back into an empty one.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
while the web server and workers keep writing; a copy of the file could catch a page half
written. PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot, compressed, and
restorable table by table) and ``pg_restore --single-transaction`` into an empty database,
so that a failed restore leaves that database as empty as it was.

Only Django's settings dictionary for the database is read here, never Django's own
connection, so that the source and the target can be any database the caller names.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ambassade.core.backup_keys import BackupError

Say = Callable[[str], None]
SQLITE, POSTGRESQL = "sqlite", "postgresql"
PROGRESS_SECONDS = 2


def kind(database: dict[str, Any]) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        return SQLITE
    if "postgresql" in engine:
        return POSTGRESQL
    raise BackupError(f"backups support SQLite and PostgreSQL, not {engine}")


def member_name(database: dict[str, Any]) -> str:
    return "database/ambassade.sqlite3" if kind(database) == SQLITE else "database/ambassade.pgdump"


def _postgres_environment(database: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore: the password never shows in `ps`."""
    values = {
        "PGDATABASE": database.get("NAME"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGSSLMODE": (database.get("OPTIONS") or {}).get("sslmode"),
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client programs "
            f"(Debian: apt-get install postgresql-client), the server's major version or newer"
        )
    return path


def _run_tool(
    command: list[str], database: dict[str, Any], what: str, say: Say, growing: Path | None = None
) -> None:
    """Runs pg_dump or pg_restore; every few seconds, says how far the dump file has grown."""
    with tempfile.TemporaryFile(mode="w+") as errors:
        process = subprocess.Popen(  # noqa: S603 (a fixed program and arguments, no shell)
            command, env=_postgres_environment(database), stdout=errors, stderr=errors, text=True
        )
        while process.poll() is None:
            try:
                process.wait(timeout=PROGRESS_SECONDS)
            except subprocess.TimeoutExpired:
                if growing is not None and growing.exists():
                    say(f"  database: {growing.stat().st_size / 1e6:.1f} MB written")
                else:
                    say(f"  database: {what} is running")
        errors.seek(0)
        detail = errors.read().strip().splitlines()[-3:]
    if process.returncode != 0:
        raise BackupError(f"{what} failed (exit {process.returncode}): {' | '.join(detail)}")


def dump(database: dict[str, Any], target: Path, say: Say) -> None:
    """Writes a consistent copy of the database into the file ``target``."""
    started = time.monotonic()
    if kind(database) == SQLITE:
        source_path = Path(database["NAME"])
        if not source_path.is_file():
            raise BackupError(f"the SQLite database {source_path} does not exist")
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=20)
        copy = sqlite3.connect(target)
        say(f"  database: copying {source_path.stat().st_size / 1e6:.1f} MB of SQLite")
        try:
            # In one step, inside one read transaction: in WAL mode (settings.py) writers go
            # on meanwhile. Copied in several steps, any write from another process would
            # restart the copy from the first page, and a busy instance might never finish.
            source.backup(copy, pages=-1)
        except sqlite3.Error as error:
            raise BackupError(f"SQLite's backup of {source_path} failed: {error}") from None
        finally:
            copy.close()
            source.close()
    else:
        say("  database: pg_dump --format=custom …")
        _run_tool(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
            ],
            database,
            "pg_dump",
            say,
            growing=target,
        )
    size = target.stat().st_size / 1e6
    say(f"  database: {size:.1f} MB in {time.monotonic() - started:.1f} s")


def _postgres_tables(database: dict[str, Any]) -> int:
    import psycopg
    from psycopg.conninfo import make_conninfo

    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    conninfo = make_conninfo(**{key: str(value) for key, value in params.items() if value})
    try:
        with psycopg.connect(conninfo) as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_tables "
                "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()
    except psycopg.OperationalError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        raise BackupError(
            f"cannot reach the PostgreSQL database {database.get('NAME')!r} "
            f"(create it empty first, e.g. `createdb ambassade`): {first_line}"
        ) from None
    return int(row[0]) if row else 0


def sqlite_tables(path: Path) -> int:
    if not path.exists() or path.stat().st_size == 0:
        return 0
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = connection.execute(
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}") from None
    return int(row[0])


def table_count(database: dict[str, Any]) -> int:
    """How many tables the database holds (0: empty, a restore may go there)."""
    if kind(database) == SQLITE:
        return sqlite_tables(Path(database["NAME"]))
    return _postgres_tables(database)


def check_copy(database: dict[str, Any], staged: Path) -> None:
    """Refuses a staged SQLite copy that SQLite itself finds damaged."""
    if kind(database) != SQLITE:
        return  # pg_restore reads its archive's table of contents itself, in one transaction
    try:
        connection = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the database in the archive is not readable: {error}") from None
    if verdict != "ok":
        raise BackupError(f"the database in the archive is damaged: {verdict}")


def load(database: dict[str, Any], staged: Path, say: Say) -> None:
    """Puts the staged copy in place: a file move for SQLite, pg_restore for PostgreSQL."""
    started = time.monotonic()
    if kind(database) == SQLITE:
        target = Path(database["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (Path(f"{target}-wal"), Path(f"{target}-shm"), target):
            leftover.unlink(missing_ok=True)  # an empty database's files, checked empty before
        # Beside the target first (a rename when on the same storage, else a copy), so that
        # the final step is one atomic rename.
        beside = target.with_name(f".{target.name}.restoring")
        shutil.move(staged, beside)
        os.replace(beside, target)
    else:
        say("  database: pg_restore --single-transaction …")
        command = [_tool("pg_restore"), "--single-transaction", "--exit-on-error", "--no-owner"]
        command += ["--no-privileges", f"--dbname={database.get('NAME')}", str(staged)]
        _run_tool(command, database, "pg_restore", say)
    say(f"  database: restored in {time.monotonic() - started:.1f} s")
