#!/usr/bin/env python3
# ruff: noqa: S603
"""Benchmark of the publishing pipeline against a real local Bluesky PDS (not a test).

    PYTHONPATH=. .venv/bin/python scripts/benchmark_publishing.py --posts 1000

PostgreSQL and Redis instead of SQLite and the database task backend (a database
``bench_publishing_<pid>`` is created and dropped; the Redis database is flushed):

    PYTHONPATH=. .venv/bin/python scripts/benchmark_publishing.py --posts 1000 \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres --redis redis://127.0.0.1:6379/9

What it does, on 127.0.0.1 only:

1. starts the PDS of tools/bluesky-pds (as the tests do), creates one account per person
   on it with an app password, and builds an organisation of ``--posts`` ambassadors
   whose accounts are connected through ``sharing.actions`` (tokens stored encrypted);
2. composes one share per person with the product's ``create_share`` ("now"): most items
   are shared by one person, ``--shared-items`` items by ``--colleagues`` people each,
   so the stagger (``--stagger-minutes``) must space those posts out;
3. holding ``--lock`` from here when given, the baseline: one post per account written
   straight to the PDS by httpx from 2 threads (``createRecord``, the same record shape),
   which is the network call alone;
4. starts ``--workers`` ``ambassade worker`` processes (scripts/benchmark_publishing_worker.py
   times each task and the HTTP requests inside it) and waits until every target is final;
5. prints posts per second (the posts that were due at once, from the first attempt to
   the last of them published) beside the baseline's, the time per post outside the
   network call, the worker CPU per post, the SQL queries per post, the duplicates (posts
   on the PDS per target, read back from every repository) and the smallest gap between
   colleagues' posts of one item. Exits 1 when a target is not published, a duplicate
   exists or the stagger was not respected.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {text}", flush=True)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--posts", type=int, default=1000, help="people, one post each")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shared-items", type=int, default=20)
    parser.add_argument("--colleagues", type=int, default=3, help="people per shared item")
    parser.add_argument("--stagger-minutes", type=int, default=1)
    parser.add_argument("--threads", type=int, default=4, help="while setting up")
    parser.add_argument("--postgres", default="", help="an admin URL: a database is created")
    parser.add_argument("--redis", default="", help="with --postgres: TASK_BACKEND=redis")
    parser.add_argument("--profile", default="", help="pyinstrument HTML of worker 0 here")
    parser.add_argument("--max-minutes", type=float, default=20, help="of publishing")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and logs")
    parser.add_argument(
        "--lock",
        default="",
        help="a file locked (flock) from the baseline to the last post: the measured part "
        "waits for other benchmarks holding it, setting up does not",
    )
    args = parser.parse_args()
    if args.posts < args.shared_items * args.colleagues:
        parser.error("--posts must be at least --shared-items x --colleagues")
    if args.redis and not args.postgres:
        parser.error("--redis needs --postgres (RQ beside SQLite is not a production layout)")
    return args


def environment(args: argparse.Namespace, data: Path, database: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "ambassade.settings",
        "DATA_DIR": str(data),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "TASK_BACKEND": "redis" if args.redis else "database",
    }
    env.pop("AMBASSADE_TESTING", None)
    env.pop("DATABASE_URL", None)
    if args.postgres:
        env["DATABASE_URL"] = args.postgres.rsplit("/", 1)[0] + f"/{database}"
    if args.redis:
        env["REDIS_URL"] = args.redis
    return env


def _interrupted(*_: Any) -> None:
    raise KeyboardInterrupt


def main() -> int:
    args = parse()
    signal.signal(signal.SIGTERM, _interrupted)  # unwinds through the finally blocks
    data = Path(tempfile.mkdtemp(prefix="ambassade-bench-publishing-"))
    database = f"bench_publishing_{os.getpid()}"
    env = environment(args, data, database)
    created = False
    try:
        if args.postgres:
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{database}"')
            created = True
        if args.redis:
            import redis

            redis.Redis.from_url(args.redis).flushdb()
        os.environ.clear()
        os.environ.update(env)
        import django

        django.setup()
        # Imported after the setup: the PDS module imports pytest, which the settings
        # would take for a test run.
        from ambassade.sharing.tests.pds import running_pds

        with running_pds() as pds:
            return run(args, env, data, pds)
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        cleanup(args, database if created else "", data)


def cleanup(args: argparse.Namespace, database: str, data: Path) -> None:
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()
    if database:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    if args.redis:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    if args.keep:
        log(f"data and logs kept in {data}")
    else:
        shutil.rmtree(data, ignore_errors=True)


def run(args: argparse.Namespace, env: dict[str, str], data: Path, pds: dict[str, Any]) -> int:
    import benchmark_publishing_report as figures
    import benchmark_publishing_world as world
    from django.conf import settings
    from django.core.management import call_command

    port = pds["pds_url"].rsplit(":", 1)[1]
    # The operator allows the local PDS (an intranet address), as the tests do.
    env["OUTBOUND_ALLOWED_HOSTS"] = f"127.0.0.1:{port}"
    os.environ["OUTBOUND_ALLOWED_HOSTS"] = env["OUTBOUND_ALLOWED_HOSTS"]
    settings.OUTBOUND_ALLOWED_HOSTS = [env["OUTBOUND_ALLOWED_HOSTS"]]
    log(f"PDS at {pds['pds_url']}; migrating {settings.DATABASES['default']['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    began = time.monotonic()
    accounts = world.pds_accounts(pds["pds_url"], args.posts, args.threads)
    log(f"{len(accounts)} accounts created on the PDS in {time.monotonic() - began:.0f} s")
    began = time.monotonic()
    built = world.build(pds["pds_url"], accounts, args.stagger_minutes, args.threads)
    log(f"organisation built, accounts connected in {time.monotonic() - began:.0f} s")
    began = time.monotonic()
    world.compose(built, args.shared_items, args.colleagues)
    log(f"{args.posts} posts composed in {time.monotonic() - began:.0f} s")
    with measuring(args.lock):
        baseline = world.baseline(pds["pds_url"], accounts, threads=2)
        log(f"baseline: {baseline['posts']} posts straight to the PDS at {baseline['rate']:.1f}/s")
        timings = data / "timings.jsonl"
        workers = start_workers(args, env, data, timings)
        try:
            finished = wait(built.organisation_id, workers, args.max_minutes)
            cpu = sum(cpu_seconds(worker.pid) for worker in workers)
        finally:
            stop(workers)
    report = figures.report(built, accounts, pds["pds_url"], timings, cpu, args.workers)
    report.update(baseline=baseline, finished=finished, workers=args.workers)
    report["backend"] = "PostgreSQL + Redis (RQ)" if args.redis else "SQLite + database tasks"
    if args.postgres and not args.redis:
        report["backend"] = "PostgreSQL + database tasks"
    print(figures.table(report))
    return 0 if report["ok"] and finished else 1


@contextlib.contextmanager
def measuring(lock: str) -> Iterator[None]:
    """Holds ``lock`` (when given) while measuring, so that one benchmark runs at a time."""
    if not lock:
        yield
        return
    with open(lock, "a") as held:
        log(f"waiting for {lock}")
        fcntl.flock(held, fcntl.LOCK_EX)
        log(f"{lock} acquired; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        yield


def start_workers(
    args: argparse.Namespace, env: dict[str, str], data: Path, timings: Path
) -> list[subprocess.Popen[bytes]]:
    started = []
    for number in range(args.workers):
        argv = [sys.executable, str(ROOT / "scripts" / "benchmark_publishing_worker.py")]
        argv.append(str(timings))
        if number == 0 and args.profile:
            argv.append(str(Path(args.profile).resolve()))
        with (data / f"worker{number}.log").open("wb") as output:
            started.append(
                subprocess.Popen(
                    argv,
                    env=env,
                    cwd=ROOT,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
    return started


def wait(organisation_id: int, workers: list[subprocess.Popen[bytes]], minutes: float) -> bool:
    import benchmark_publishing_world as world

    deadline = time.monotonic() + minutes * 60
    last_note = time.monotonic()
    while time.monotonic() < deadline:
        left = world.unfinished(organisation_id)
        if not left:
            return True
        if any(worker.poll() is not None for worker in workers):
            log("a worker stopped by itself (see its log in the data folder, --keep)")
            return False
        if time.monotonic() - last_note > 15:
            last_note = time.monotonic()
            log(f"{left} targets not final yet")
        time.sleep(0.5)
    log(f"still unfinished after {minutes} minutes")
    return False


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a worker and of its reaped children (RQ's work horses)."""
    import psutil

    with contextlib.suppress(psutil.Error):
        times = psutil.Process(pid).cpu_times()
        return float(times.user + times.system + times.children_user + times.children_system)
    return 0.0


def stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


if __name__ == "__main__":
    sys.exit(main())
