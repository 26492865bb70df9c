"""WhiteNoise, which lists the static folder again if a file vanishes while it lists it.

Each process's WhiteNoise lists the static folder once, when it starts. `ambassade web`
collects the static files at its start, and Django's manifest storage replaces a file by
deleting it and writing it again: a short-link server started at the same moment (systemd
starts both at once) could list a file, find it gone a moment later, and its worker died
(granian restarted it; seen in the redirect benchmark).
"""

from __future__ import annotations

import time
from typing import Any

from whitenoise.middleware import WhiteNoiseMiddleware

ATTEMPTS = 10
PAUSE_SECONDS = 0.3


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_files(self, root: Any, prefix: Any = None) -> None:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                super().add_files(root, prefix)
                return
            except FileNotFoundError:  # removed between listing and reading: list again
                if attempt == ATTEMPTS:
                    raise
                time.sleep(PAUSE_SECONDS)
