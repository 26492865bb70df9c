"""Periodic job of recognition: completed challenges give their points."""

from __future__ import annotations

from django_tasks import task

from ambassade.core.periodic import every
from ambassade.recognition import progress


@every(minutes=15)
@task()
def complete_challenges() -> dict[str, int]:
    """Grants the points of the challenges whose target was reached since the last run."""
    return progress.complete_challenges()
