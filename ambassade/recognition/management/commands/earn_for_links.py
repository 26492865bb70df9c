"""Earns the points of links now: clicks milestones and conversions (the scheduler does
it every 10 minutes; a rerun adds nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ambassade.recognition import tracking_points


class Command(BaseCommand):
    help = "Earns the points of the last two days' human clicks and conversions."

    def handle(self, *args: Any, **options: Any) -> None:
        result = tracking_points.earn_for_links()
        self.stdout.write(
            f"{result['links']} links and {result['conversions']} conversions earned points, "
            f"{result['failed']} failed"
        )
