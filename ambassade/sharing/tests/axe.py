"""axe-core (tools/axe), installed from npm for the browser tests' accessibility checks.

The first run installs it with ``npm ci`` (a few seconds); later runs find it in place.
Without npm the tests are skipped locally and fail under CI=true. The app never serves
this script: a test injects it into the page it checks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import ambassade
from ambassade.conftest import need_service
from ambassade.testing.npm_tools import install_once, npm_ci

TOOL = Path(ambassade.__file__).resolve().parent.parent / "tools" / "axe"
AXE_SCRIPT = TOOL / "node_modules" / "axe-core" / "axe.min.js"


def axe_installed() -> bool:
    """True once axe.min.js is there; installs it first if npm is available."""
    if not AXE_SCRIPT.exists():
        need_service(shutil.which("npm") is not None, "npm is not installed (apt-get install npm)")
        install_once(TOOL, lambda: npm_ci(TOOL, label="axe", timeout=300))
    need_service(AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing after npm ci")
    return True
