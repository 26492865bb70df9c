"""The database stops in the middle of a burst: every request still gets its 302, and
every click is found once PostgreSQL is back and the ingestion has run.

It runs the production server (`ambassade web`, granian) against a PostgreSQL instance
of its own, made with initdb in a temporary folder, so it needs no DATABASE_URL; without
the server binaries it is skipped (a failure under CI=true).
"""

from __future__ import annotations

import glob
import http.client
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ambassade.conftest import need_service
from ambassade.tracking.tests.conftest import BROWSER

BURST = 500
STOP_AFTER = 150


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Postgres:
    """A throw-away PostgreSQL server: initdb, pg_ctl start/stop, on a free port."""

    def __init__(self, bin_dir: Path, root: Path) -> None:
        self.bin_dir, self.root = bin_dir, root
        self.data, self.log = root / "pgdata", root / "postgres.log"
        self.port = free_port()
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            pwd.getpwnam("postgres")
            shutil.chown(root, "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self.as_postgres, str(self.bin_dir / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.log), "-o", options)

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "-w", "-D", str(self.data), "-m", "immediate")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


def ambassade(env: dict[str, str], *args: str, timeout: int = 120) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ambassade.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def get(port: int, path: str, timeout: float = 10) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"User-Agent": BROWSER})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


@pytest.fixture
def postgres():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    need_service(bool(found), "the PostgreSQL server binaries (initdb) are not installed")
    root = Path(tempfile.mkdtemp(prefix="ambassade-outage-"))
    root.chmod(0o755)
    server = Postgres(Path(found[-1]).parent, root)
    server.init()
    server.start()
    try:
        yield server
    finally:
        stop = [str(server.bin_dir / "pg_ctl"), "stop", "-D", str(server.data), "-m", "immediate"]
        subprocess.run(
            [*server.as_postgres, *stop],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


def test_no_click_is_lost_when_the_database_stops_mid_burst(postgres, tmp_path) -> None:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REDIS_", "TASK_BACKEND", "CLICK_", "DATABASE_", "PYTEST"))
    }
    env.update(
        DATABASE_URL=postgres.url,
        DATA_DIR=str(tmp_path / "data"),
        PORT=str(port),
        WEB_WORKERS="1",  # the links cache is per process: one worker makes "warm" exact
        CLICK_FLOOD_LIMIT="0",  # one test client sends everything: not a flood here
        LOG_LEVEL="warning",
        DATABASE_CONN_MAX_AGE="60",
    )
    ambassade(env, "manage", "migrate", "--noinput")
    code = ambassade(
        env,
        "manage",
        "shell",
        "-c",
        "from ambassade.core.models import Organisation;"
        "from ambassade.tracking.actions import create_link;"
        "o = Organisation.objects.create(name='Outage', slug='outage');"
        "print(create_link(organisation=o, url='https://example.com/job?id=7',"
        " network='linkedin').code)",
    ).splitlines()[-1]
    web = subprocess.Popen(
        [sys.executable, "-m", "ambassade.cli", "web"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                # Warms the code and the salt. Retried only while nobody listens: a
                # request that timed out may have been counted, one refused was not.
                status, location = get(port, f"/r/{code}", timeout=60)
                break
            except (ConnectionRefusedError, ConnectionResetError):
                assert time.monotonic() < deadline, "the web server did not start"
                time.sleep(0.2)
        assert status == 302 and "utm_source=linkedin" in location

        answered = 0
        lock = threading.Lock()
        stopped = threading.Event()

        def one(_: int) -> tuple[int, str]:
            nonlocal answered
            result = get(port, f"/r/{code}")
            with lock:
                answered += 1
                if answered == STOP_AFTER and not stopped.is_set():
                    postgres.stop()  # the database disappears mid-burst
                    stopped.set()
            return result

        with ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(one, range(BURST)))
        assert stopped.is_set()
        assert [status for status, _ in results] == [302] * BURST
        assert {found for _, found in results} == {location}
        # Still down: ingestion leaves every click in the spool and says so.
        assert "0 events stored" in ambassade(env, "manage", "ingest_clicks", "--all")
        assert list((tmp_path / "data" / "clicks").glob("*.jsonl"))
    finally:
        os.killpg(web.pid, 15)
        web.wait(timeout=30)
    postgres.start()
    assert f"{BURST + 1} events stored" in ambassade(env, "manage", "ingest_clicks", "--all")
    counted = (
        ambassade(
            env,
            "manage",
            "shell",
            "-c",
            "from ambassade.tracking.models import Click, DailyLinkStats as S;"
            f"print(Click.objects.filter(link__code='{code}', is_human=True).count(),"
            f" sum(S.objects.filter(link__code='{code}').values_list('human_clicks', flat=True)))",
        )
        .splitlines()[-1]
        .split()
    )
    assert counted == [str(BURST + 1)] * 2
