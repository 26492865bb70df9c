"""Housekeeping jobs of the platform itself."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from ambassade.core import events
from ambassade.core.models import DomainEvent, EventDelivery, PeriodicRun
from ambassade.core.periodic import every


@task()
def deliver_event(delivery_id: int) -> str:
    """Runs one subscriber of one domain event (core/events.py)."""
    return events.deliver(delivery_id)


@task()
def deliver_events(delivery_ids: list[int]) -> list[str]:
    """Runs the subscribers of one domain event, each in its own transaction."""
    return events.deliver_all(delivery_ids)


@every(minutes=1)
@task()
def redeliver_events() -> int:
    """Retries failed event deliveries and those whose task never ran."""
    return events.redeliver()


@every(hours=1)
@task()
def prune_bookkeeping() -> dict[str, int]:
    """Deletes finished task results and scheduler rows older than the retention period."""
    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    runs, _ = PeriodicRun.objects.filter(enqueued_at__lt=cutoff).delete()
    # Results of the database backend; the Redis backend expires its own.
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    # Events every subscriber has handled; one still pending is kept until it is delivered.
    pending = EventDelivery.objects.filter(status=EventDelivery.Status.PENDING)
    delivered, _ = (
        DomainEvent.objects.filter(occurred_at__lt=cutoff)
        .exclude(pk__in=pending.values("event_id"))
        .delete()
    )
    return {"periodic_runs": runs, "task_results": results, "events": delivered}
