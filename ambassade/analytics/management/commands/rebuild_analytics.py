"""Rebuilds the daily figures of the dashboards from the raw data."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ambassade.analytics import rollup


class Command(BaseCommand):
    help = "Recomputes the analytics' daily figures from shares, link counters and conversions."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--since",
            help="first day to recompute (YYYY-MM-DD, UTC); default: every day with data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            try:
                since = date.fromisoformat(options["since"])
            except ValueError as error:
                raise CommandError("--since takes a date such as 2026-01-31") from error
        written = rollup.rebuild(since)
        self.stdout.write(f"{written} daily rows written")
