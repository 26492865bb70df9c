"""Housekeeping jobs of the platform itself."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from ambassade.core.models import PeriodicRun
from ambassade.core.periodic import every


@every(hours=1)
@task()
def prune_bookkeeping() -> dict[str, int]:
    """Deletes finished task results and scheduler rows older than the retention period."""
    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    runs, _ = PeriodicRun.objects.filter(enqueued_at__lt=cutoff).delete()
    # Results of the database backend; the Redis backend expires its own.
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return {"periodic_runs": runs, "task_results": results}
