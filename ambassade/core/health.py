"""What /healthz reports: database, task queue and version."""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

import ambassade

logger = logging.getLogger(__name__)


@dataclass
class QueueStats:
    depth: int
    oldest_age_seconds: float | None


def database_ok() -> tuple[bool, float]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health: database unreachable")
        return False, time.perf_counter() - started
    return True, time.perf_counter() - started


def queue_stats() -> QueueStats:
    """Tasks waiting to run now (not those deliberately deferred to a later time)."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_db.DatabaseBackend":
        from django.db.models import Min
        from django_tasks_db.models import DBTaskResult

        ready = DBTaskResult.objects.ready()
        summary = ready.aggregate(oldest=Min("enqueued_at"))
        depth = ready.count()
        oldest = summary["oldest"]
        age = (timezone.now() - oldest).total_seconds() if oldest else None
        return QueueStats(depth=depth, oldest_age_seconds=age)
    import django_rq

    queue = django_rq.get_queue("default")
    depth = queue.count
    age = None
    job_ids = queue.get_job_ids(0, 1)  # the oldest waiting job is at the head
    if job_ids:
        job = queue.fetch_job(job_ids[0])
        if job is not None and job.enqueued_at is not None:
            enqueued = job.enqueued_at
            if enqueued.tzinfo is None:
                enqueued = enqueued.replace(tzinfo=datetime.UTC)
            age = (timezone.now() - enqueued).total_seconds()
    return QueueStats(depth=depth, oldest_age_seconds=age)


def report() -> tuple[bool, dict[str, Any]]:
    db_ok, db_seconds = database_ok()
    body: dict[str, Any] = {
        "version": ambassade.__version__,
        "database": {"ok": db_ok, "latency_ms": round(db_seconds * 1000, 1)},
    }
    healthy = db_ok
    try:
        stats = queue_stats() if db_ok or settings.TASK_BACKEND == "redis" else None
    except Exception:
        logger.exception("health: task queue unreachable")
        stats = None
    if stats is None:
        body["tasks"] = {"ok": False, "backend": settings.TASK_BACKEND}
        healthy = False
    else:
        age = stats.oldest_age_seconds
        queue_ok = age is None or age <= settings.HEALTH_MAX_TASK_AGE_SECONDS
        body["tasks"] = {
            "ok": queue_ok,
            "backend": settings.TASK_BACKEND,
            "depth": stats.depth,
            "oldest_waiting_seconds": round(age, 1) if age is not None else None,
        }
        healthy = healthy and queue_ok
    body["status"] = "ok" if healthy else "unhealthy"
    return healthy, body
