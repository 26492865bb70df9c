"""axe-core (tools/axe), installed from npm for the browser tests' accessibility checks.

The first run installs it with ``npm ci`` (a few seconds); later runs find it in place.
Without npm the tests are skipped locally and fail under CI=true. The app never serves
this script: a test injects it into the page it checks.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import ambassade
from ambassade.conftest import need_service

TOOL = Path(ambassade.__file__).resolve().parent.parent / "tools" / "axe"
AXE_SCRIPT = TOOL / "node_modules" / "axe-core" / "axe.min.js"


def axe_installed() -> bool:
    """True once axe.min.js is there; installs it first if npm is available."""
    if not AXE_SCRIPT.exists():
        need_service(shutil.which("npm") is not None, "npm is not installed (apt-get install npm)")
        sys.stderr.write("[axe] installing axe-core with npm ci\n")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=TOOL, check=True, timeout=300)
    need_service(AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing after npm ci")
    return True
