"""Runs periodic jobs: every few seconds, enqueue the jobs whose time slot has come."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from ambassade.core import periodic


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they are due (safe to run in several processes)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="one tick, then exit")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        running = True

        def stop(signum: int, frame: Any) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running:
            close_old_connections()
            try:
                enqueued = periodic.tick()
            except Exception as error:  # keep scheduling even if the database blinks
                self.stderr.write(f"scheduler tick failed: {error}")
                enqueued = []
            for name in enqueued:
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            deadline = time.monotonic() + settings.SCHEDULER_TICK_SECONDS
            while running and time.monotonic() < deadline:
                time.sleep(0.2)
