"""Periodic jobs of recognition: points for the clicks and conversions of people's links."""

from __future__ import annotations

from django_tasks import task

from ambassade.core.periodic import every
from ambassade.recognition import tracking_points


@every(minutes=10)
@task()
def earn_for_links() -> dict[str, int]:
    """Clicks milestones and conversions of the last two days; a rerun adds nothing."""
    return tracking_points.earn_for_links()
