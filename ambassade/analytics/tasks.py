"""Periodic job of the analytics: the daily figures follow the raw data every 5 minutes."""

from __future__ import annotations

from django_tasks import task

from ambassade.analytics import rollup
from ambassade.core.periodic import every


@every(minutes=5)
@task()
def update_daily_share_stats() -> dict[str, int]:
    """Recomputes the days whose shares, clicks or conversions changed since the last run."""
    return rollup.update()
