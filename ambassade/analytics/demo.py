"""Demo data: the daily figures of the whole demo period, so the dashboards show something."""

from __future__ import annotations

from datetime import timedelta

from ambassade.analytics import rollup
from ambassade.core.demo import DemoContext, demo_step


@demo_step(50)
def analytics(context: DemoContext) -> None:
    written = rollup.rebuild(since=context.today - timedelta(days=max(context.days, 1)))
    context.progress(f"analytics: {written} daily rows")
