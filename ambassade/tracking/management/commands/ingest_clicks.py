"""Runs the click ingestion now (the scheduler does it every minute)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from ambassade.tracking import ingest


class Command(BaseCommand):
    help = "Stores buffered clicks: closed spool files and the Redis stream."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="also the current minute's files (only when no web process is writing)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = time.time() + 120 if options["all"] else None
        result = ingest.ingest(now=now)
        self.stdout.write(f"{result['files']} files, {result['events']} events stored")
