"""pytest plugin: WhiteNoise looks through the static folders once per test process.

Registered by ``ambassade/conftest.py``. Tests serve static files from the apps' folders
(``WHITENOISE_USE_FINDERS``: nothing is collected), and WhiteNoise's middleware walks
those folders and prepares an answer for each file when it is created. Django creates
the middleware again for every test client, so each ``Client()`` of the suite (thousands)
paid that walk: a quarter of the time of a test that signs in nine personas. Here the
walk's result is kept per process and reused by every later client, for the same
settings; a test that changes a setting WhiteNoise reads gets a walk of its own.
Production is not concerned: a server creates its middleware once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

# The settings the middleware or the static-file finders read, by name or by prefix.
_READ = ("DEBUG", "FORCE_SCRIPT_NAME", "INSTALLED_APPS", "STORAGES")
_READ_PREFIXES = ("WHITENOISE_", "STATIC")
_FOUND: dict[str, dict[str, Any]] = {}


def _settings_read() -> str:
    from django.conf import settings

    names = sorted({*_READ, *(n for n in dir(settings) if n.startswith(_READ_PREFIXES))})
    return repr([(name, getattr(settings, name, None)) for name in names])


@pytest.fixture(autouse=True, scope="session")
def static_files_found_once() -> Iterator[None]:
    from whitenoise.middleware import WhiteNoiseMiddleware

    walk = WhiteNoiseMiddleware.add_files_from_finders

    def add_files_from_finders(self: WhiteNoiseMiddleware) -> None:
        key = _settings_read()
        if key not in _FOUND:
            before = dict(self.files)
            walk(self)
            _FOUND[key] = {
                url: found for url, found in self.files.items() if before.get(url) is not found
            }
        self.files.update(_FOUND[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoiseMiddleware, "add_files_from_finders", add_files_from_finders)
        yield
