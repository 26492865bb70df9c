"""Builds the deterministic demo organisation (see ambassade.core.demo)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ambassade.core import demo
from ambassade.core.models import Organisation


class Command(BaseCommand):
    help = "Create a realistic bilingual demo organisation with history."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--people", type=int, default=300)
        parser.add_argument("--days", type=int, default=180)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--if-empty", action="store_true")

    def handle(
        self, *args: Any, people: int, days: int, seed: int, if_empty: bool, **options: Any
    ) -> None:
        if people < 10 or people > 200_000:
            raise CommandError("--people must be between 10 and 200000")
        if days < 1 or days > 3650:
            raise CommandError("--days must be between 1 and 3650")
        if Organisation.objects.exists():
            if if_empty:
                self.stdout.write("The database already has an organisation: demo data not loaded.")
                return
            if Organisation.objects.filter(slug="verdier").exists():
                raise CommandError("The demo organisation already exists (slug 'verdier').")
        started = time.monotonic()

        def progress(step: str) -> None:
            self.stdout.write(f"  [{time.monotonic() - started:6.1f}s] {step}")

        self.stdout.write(
            f"Building the demo organisation: {people} people, {days} days, seed {seed}"
        )
        # The UTC day: daily counters and the rollup count in UTC days, and a local day
        # ahead of UTC (Paris before 1 a.m. UTC) would write clicks the rollup does not
        # reach yet.
        today = datetime.now(UTC).date()
        demo.build(people=people, days=days, seed=seed, today=today, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f}s")
        )
