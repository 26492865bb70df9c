"""The notifications' periodic jobs: copies held by quiet hours, and the nudges."""

from __future__ import annotations

from django_tasks import task

from ambassade.core.periodic import every
from ambassade.notifications import actions, nudges


@every(minutes=5)
@task()
def release_held_notifications() -> int:
    """Sends the e-mail and push copies held during people's quiet hours, once they end."""
    return actions.release_held()


@every(days=1)
@task()
def send_nudges() -> int:
    """One friendly reminder to ambassadors away for 21 days (at most one per 21 days)."""
    return nudges.send_nudges()
