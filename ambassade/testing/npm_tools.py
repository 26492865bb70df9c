"""Installs a test tool from npm (tools/<name>) once, even when test processes race.

The suite runs in several processes (pytest-xdist). On a fresh clone two of them can
need the same tool at the same moment: without a lock the second one saw a half-written
node_modules and started a program whose native module was not rebuilt yet. An
exclusive file lock serialises the install, and a stamp written last says it finished.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

STAMP = ".installed-by-tests"


def install_once(tool: Path, install: Callable[[], None]) -> None:
    """Run ``install`` in ``tool`` unless a finished install is there; one process at a time."""
    stamp = tool / "node_modules" / STAMP
    if stamp.exists():
        return
    with open(tool / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if stamp.exists():  # another process installed it while this one waited
            return
        install()
        stamp.write_text("installed\n")


def npm_ci(tool: Path, *, label: str, timeout: int) -> None:
    """``npm ci`` in ``tool``, saying so on stderr (it may take minutes the first time)."""
    sys.stderr.write(f"[{label}] installing with npm ci\n")
    sys.stderr.flush()
    npm = shutil.which("npm") or "npm"
    subprocess.run(  # noqa: S603 (npm from PATH, fixed arguments)
        [npm, "ci", "--no-audit", "--no-fund"], cwd=tool, check=True, timeout=timeout
    )
