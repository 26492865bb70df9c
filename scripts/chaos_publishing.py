#!/usr/bin/env python3
# ruff: noqa: S603
"""Chaos run of publishing and counting on PostgreSQL and Redis (not a test).

Full run (the issue's figures; an hour or more on the 2-core development machine:
composing alone takes about half a second a share there when it is busy):

    PYTHONPATH=. .venv/bin/python scripts/chaos_publishing.py \\
        --posts 10000 --clicks 100000 --kill-every 30 --max-minutes 90 --settle-minutes 20

Quick look (ten minutes or so):

    PYTHONPATH=. .venv/bin/python scripts/chaos_publishing.py \\
        --posts 200 --clicks 2000 --max-minutes 3

Needs PostgreSQL (``--postgres``, default postgres://postgres@127.0.0.1:5432/postgres,
allowed to create databases) and Redis (``--redis``, default redis://127.0.0.1:6379/8,
a database number of its own: it is flushed at the start and at the end). Only
127.0.0.1 is contacted. What it does:

1. creates an empty database ``chaos_<pid>``, migrates it, and builds an organisation
   with its sharing rules (daily cap, a 1-minute stagger, quiet hours that begin during
   the run for the people in UTC), ambassadors enrolled in a program, and their accounts
   connected through the product's actions to fake Mastodon, X and Bluesky servers
   (scripts/chaos_fakes.py) that answer slowly, accept a post and then time out, fail,
   rate-limit at random and expire access tokens (X's refresh tokens are single-use);
2. starts ``ambassade web`` (granian, on a free port), ``ambassade scheduler`` and two
   ``ambassade worker`` (TASK_BACKEND=redis, CLICK_BUFFER=redis), composes the posts with
   the product's ``create_share`` (scheduled over the first 40% of ``--max-minutes``),
   and kills one worker at random (SIGKILL to its process group: RQ forks a child per
   job) every ``--kill-every`` seconds, starting a new one, until every target is final
   or ``--max-minutes`` passed;
3. meanwhile sends ``--clicks`` clicks to the short links, at an even pace, from
   simulated visitors (scripts/chaos_clicks.py);
4. then stops killing and lets the workers finish the targets that were due (the
   "drain", at most ``--settle-minutes``), waits for the clicks to be ingested and runs
   the analytics rollup (``rollup.update``, in this process: a queued one can wait long
   behind publishing jobs);
5. prints a table and exits with 1 when an invariant fails: duplicates, lost posts
   (published but not on the network, or due before the end and still not final after
   the drain), accounts wrongly marked "needs reconnection" (the fakes never revoke
   anything), posts in quiet hours or over the daily cap, clicks or unique visitors
   counted differently from what was sent.

A target a killed worker left "publishing" is due again ``STALE_AFTER`` (10 minutes)
after its attempt began: if that is after the end it is counted as waiting, not lost.
Ctrl-C or an error still stops every process started and drops the database
(``--keep`` keeps it, with the logs of every process, for a look afterwards).
X is reached through scripts/chaos_launch.py (nothing in the settings points the X
module elsewhere than api.x.com); LinkedIn is not faked.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import chaos_clicks  # noqa: E402
from chaos_fakes import FakeBluesky, FakeMastodon, FakeX, Faults  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def log(text: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


class Children:
    """The processes this run started, each in a group of its own (RQ forks per job)."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.argv: dict[str, tuple[str, ...]] = {}
        self.closed = False  # once stopping, the killer thread may not start anything
        self.started = 0
        self.lock = threading.RLock()  # the killer thread and the main loop share them

    def start(self, name: str, *argv: str) -> None:
        with self.lock:
            if self.closed:
                return
            self.started += 1
            self.argv[name] = argv
            with (self.logs / f"{name}-{self.started}.log").open("wb") as output:
                self.running[name] = subprocess.Popen(
                    [sys.executable, *argv],
                    env=self.env,
                    cwd=ROOT,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )

    def kill(self, name: str) -> None:
        with self.lock:
            child = self.running.pop(name, None)
        if child is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)  # a crash, not a shutdown
        child.wait()

    def restart(self, name: str) -> None:
        with self.lock:
            self.kill(name)
            self.start(name, *self.argv[name])

    def stop_all(self) -> None:
        with self.lock:
            self.closed = True
            self._stop_all()

    def _stop_all(self) -> None:
        for child in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in self.running.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.running.clear()

    def died(self) -> list[str]:
        with self.lock:
            return [name for name, child in self.running.items() if child.poll() is not None]


def wait_for_web(port: int, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return
        except urllib.error.HTTPError:
            return  # 503 while the queue is busy is still an answer
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("ambassade web did not start (see its log)") from None
            time.sleep(0.5)


def _interrupted(*_: Any) -> None:
    raise KeyboardInterrupt


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--posts", type=int, default=10_000, help="share targets to schedule")
    parser.add_argument("--clicks", type=int, default=100_000)
    parser.add_argument("--kill-every", type=float, default=30, help="seconds between kills")
    parser.add_argument("--max-minutes", type=float, default=60, help="of publishing")
    parser.add_argument(
        "--settle-minutes",
        type=float,
        default=5,
        help="once the kills stop, at most this long for the due targets to be final",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--daily-cap", type=int, default=5)
    parser.add_argument("--token-ttl", type=float, default=60, help="access tokens, seconds")
    parser.add_argument("--timeout", type=int, default=2, help="OUTBOUND_TIMEOUT_SECONDS")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database, data folder and logs"
    )
    parser.add_argument("--log-level", default="WARNING", help="of the processes started")
    return parser.parse_args()


def main() -> int:
    args = parse()
    # Ctrl-C and SIGTERM both unwind through the finally blocks below.
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)  # even when started with SIGINT ignored
    data = Path(tempfile.mkdtemp(prefix="ambassade-chaos-"))
    (data / "logs").mkdir()
    database = f"chaos_{os.getpid()}"
    faults = Faults(client_timeout=args.timeout, token_ttl=args.token_ttl)
    fakes: dict[str, Any] = {
        "mastodon": FakeMastodon(faults, args.seed),
        "x": FakeX(faults, args.seed + 1),
        "bluesky": FakeBluesky(faults, args.seed + 2),
    }
    children: Children | None = None
    created = False
    try:
        for fake in fakes.values():
            fake.start()
        import psycopg
        import redis

        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        created = True
        redis.Redis.from_url(args.redis).flushdb()
        port = free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "ambassade.settings",
            "DATABASE_URL": args.postgres.rsplit("/", 1)[0] + f"/{database}",
            "REDIS_URL": args.redis,
            "TASK_BACKEND": "redis",
            "CLICK_BUFFER": "redis",
            "DATA_DIR": str(data),
            "BASE_URL": f"http://127.0.0.1:{port}",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_WORKERS": "2",
            # The fakes are intranet hosts the operator allows, each on its own port.
            "OUTBOUND_ALLOWED_HOSTS": ",".join(f.url.split("://", 1)[1] for f in fakes.values()),
            "OUTBOUND_TIMEOUT_SECONDS": str(args.timeout),
            "TRUST_X_FORWARDED_FOR": "true",
            "LOG_LEVEL": args.log_level,
            "DEBUG": "false",
            "CHAOS_X_API_BASE": fakes["x"].url,
        }
        env.pop("AMBASSADE_TESTING", None)
        # Connecting the accounts happens here, with the fakes' faults off: a busy machine
        # must not make setting up fail, so this process waits longer than the workers.
        os.environ.update(env, OUTBOUND_TIMEOUT_SECONDS="20")
        children = Children(env, data / "logs")
        return run(args, fakes, children, port)
    except KeyboardInterrupt:
        log("interrupted: cleaning up")
        return 130
    finally:
        if children is not None:
            children.stop_all()
        for fake in fakes.values():
            fake.stop()
        cleanup(args, database if created else "", data)


def cleanup(args: argparse.Namespace, database: str, data: Path) -> None:
    from django.conf import settings

    if settings.configured:  # Django was set up: its connections hold the database
        from django.db import connections

        connections.close_all()
    if database and args.keep:
        log(f'database {database} kept (drop it with: DROP DATABASE "{database}")')
    elif database:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    try:
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    except Exception as error:
        log(f"Redis not flushed: {error}")
    if args.keep:
        log(f"data and logs kept in {data}")
    else:
        import shutil

        shutil.rmtree(data, ignore_errors=True)


def run(args: argparse.Namespace, fakes: dict[str, Any], children: Children, port: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from ambassade.sharing.networks import x

    x.API_BASE = fakes["x"].url  # this process connects the X accounts (see chaos_launch.py)
    import chaos_report
    import chaos_world

    log("migrating the empty database")
    call_command("migrate", interactive=False, verbosity=0)
    spread = timedelta(minutes=max(1.0, args.max_minutes * 0.4))
    start = datetime.now(UTC) + timedelta(seconds=20)
    quiet_from = (start + spread / 2).replace(second=0, microsecond=0) + timedelta(minutes=1)
    quiet_until = quiet_from + timedelta(minutes=max(1, round(spread.total_seconds() / 240)))
    log(
        f"building the organisation; quiet hours (UTC people) {quiet_from:%H:%M}-"
        f"{quiet_until:%H:%M} UTC"
    )
    world = chaos_world.build(
        fakes,
        posts=args.posts,
        networks_each=2,
        daily_cap=args.daily_cap,
        quiet_from=quiet_from,
        quiet_until=quiet_until,
        seed=args.seed,
    )
    children.start("web", "-m", "ambassade.cli", "web")
    wait_for_web(port)
    children.start("scheduler", "scripts/chaos_launch.py", "scheduler")
    names = [f"worker{k}" for k in range(args.workers)]
    for name in names:
        children.start(name, "scripts/chaos_launch.py", "worker")
    for fake in fakes.values():
        fake.chaos = True
    began = time.monotonic()
    deadline = began + args.max_minutes * 60
    stop = threading.Event()
    kills = [0]

    def killer() -> None:
        rng = random.Random(args.seed)
        while not stop.wait(args.kill_every):
            children.restart(rng.choice(names))
            kills[0] += 1

    killing = threading.Thread(target=killer, daemon=True)
    killing.start()
    log(f"composing {args.posts} posts over {spread.total_seconds() / 60:.1f} minutes")
    composed = chaos_world.compose(
        world, posts=args.posts, start=start, spread=spread, seed=args.seed
    )
    log(
        f"{composed} targets composed in {time.monotonic() - began:.0f} s; "
        f"refused: {dict(world.refused) or 'none'}"
    )
    codes = list(chaos_world.targets_by_code(world.organisation_id))
    clicked: dict[str, Any] = {}
    clicker = threading.Thread(
        target=lambda: clicked.update(
            sent=chaos_clicks.send(
                port,
                codes,
                args.clicks,
                args.seed,
                seconds=max(20.0, 0.8 * (deadline - time.monotonic())),
            )
        ),
        daemon=True,
    )
    clicker.start()
    last_note = 0.0
    while time.monotonic() < deadline and not (
        chaos_world.all_final(world.organisation_id) and not clicker.is_alive()
    ):
        for name in children.died():
            log(f"{name} stopped by itself (see its log): starting it again")
            children.restart(name)
        if time.monotonic() - last_note > 30:
            last_note = time.monotonic()
            log(
                f"targets {dict(chaos_world.progress(world.organisation_id))}, "
                f"workers killed {kills[0]}"
            )
        time.sleep(3)
    ended = datetime.now(UTC)
    stop.set()
    killing.join()
    log(
        f"publishing phase over after {(time.monotonic() - began) / 60:.1f} min; "
        "waiting for the clicks, the ingestion and the rollup"
    )
    clicker.join()  # paced to end with the publishing phase: it is over or nearly
    sent = clicked.get("sent") or chaos_clicks.Sent()
    settle = time.monotonic() + args.settle_minutes * 60
    settled = chaos_report.settle(world.organisation_id, args.redis, ended, settle)
    table, ok = chaos_report.report(
        world, fakes, sent, ended=ended, kills=kills[0], composed=composed, settled=settled
    )
    print(table)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
