"""Background work of incidents: the escalation of overdue reports."""

from __future__ import annotations

from django_tasks import task

from ambassade.core.periodic import every


@every(minutes=5)
@task()
def escalate_overdue_reports() -> int:
    """Reports not acknowledged within their response target go to the program's owners,
    once each."""
    from ambassade.incidents.actions import escalate_overdue

    return escalate_overdue()
