"""The crisis's periodic job: a crisis ends at its date."""

from __future__ import annotations

from django_tasks import task

from ambassade.core.periodic import every
from ambassade.crisis import actions


@every(minutes=1)
@task()
def end_due_crises() -> int:
    """Ends the crises whose end date has come; their held posts resume or go back."""
    return actions.end_due()
