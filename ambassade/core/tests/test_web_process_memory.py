"""A web process loads only what answering pages needs: libraries used by a few requests
or by the worker alone are imported by their first use, so that each of the server's
processes stays small (docs/decisions/0043: memory per web process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Each costs a web process 12-48 MB of memory when imported at start.
IMPORTED_ON_FIRST_USE = ("saml2", "reportlab", "pywebpush", "aiohttp", "feedparser", "openpyxl")

LOADED_LIKE_A_WEB_WORKER = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as the first request loads them
import ambassade.asgi
print(json.dumps(sorted(name for name in {names!r} if name in sys.modules)))
"""


def test_a_web_process_does_not_load_what_only_some_requests_need() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ambassade.settings"}
    found = subprocess.run(
        [sys.executable, "-c", LOADED_LIKE_A_WEB_WORKER.format(names=IMPORTED_ON_FIRST_USE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout.strip().splitlines()[-1]) == []
