#!/usr/bin/env python3
# ruff: noqa: S603, S607, S310
"""Time from `make run` in a fresh clone to /healthz answering 200 (not a test).

    git clone <this repository> /tmp/fresh && python3 scripts/first_start.py /tmp/fresh

Uses only the standard library (it runs before the clone has a .venv). It starts
`make run` in CHECKOUT with HOST=127.0.0.1 and a free port (or --port), polls
http://127.0.0.1:PORT/healthz every 0.2 s, prints the seconds until the first 200, then
stops `make run` with Ctrl-C (SIGINT to its process group) and prints the size of the
clone's .venv. `make run`'s output goes to CHECKOUT/first-start.log, each line prefixed
with the seconds since the start (to see installation, migration, demo data, start).
Only 127.0.0.1 is contacted; it gives up after --timeout seconds.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("checkout", type=Path, help="a fresh clone (no .venv, no var/)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--timeout", type=float, default=600)
    arguments = parser.parse_args()
    checkout = arguments.checkout.resolve()
    port = arguments.port or free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port)}
    for name in ("DATABASE_URL", "REDIS_URL", "BASE_URL", "DATA_DIR", "PYTHONPATH"):
        env.pop(name, None)  # the embedded defaults, as on a new machine
    log = (checkout / "first-start.log").open("w", buffering=1)  # line by line
    started = time.monotonic()
    make = subprocess.Popen(
        ["make", "run"],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )

    def copy_output() -> None:
        assert make.stdout is not None
        for line in make.stdout:
            log.write(f"[{time.monotonic() - started:6.1f}s] {line}")

    copier = threading.Thread(target=copy_output, daemon=True)
    copier.start()
    elapsed = None
    try:
        while time.monotonic() - started < arguments.timeout and make.poll() is None:
            if healthy(url):
                elapsed = time.monotonic() - started
                break
            time.sleep(0.2)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGINT)
            try:
                make.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(make.pid, signal.SIGKILL)
                make.wait()
        copier.join(timeout=10)
        log.close()
    size = subprocess.run(
        ["du", "-sh", str(checkout / ".venv")], capture_output=True, text=True, check=False
    ).stdout.split("\t")[0]
    if elapsed is None:
        print(f"/healthz never answered 200 (see {checkout / 'first-start.log'})")
        return 1
    print(f"first start to /healthz: {elapsed:.1f} s on port {port}; .venv: {size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
