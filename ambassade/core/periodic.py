"""Periodic jobs without an external cron.

A task module declares ``@every(minutes=5)`` above a django-tasks task. The scheduler
process (``ambassade scheduler``, also started by ``ambassade run``) calls ``tick()``
every few seconds; for each job whose current slot has no ``PeriodicRun`` row yet it
inserts one and enqueues the task. The unique constraint makes that safe when several
schedulers run at once: only the process whose insert succeeds enqueues.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django_tasks.base import Task

from ambassade.core.models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    interval: timedelta
    task: Task[Any, Any]

    def slot(self, now: float) -> int:
        seconds = int(self.interval.total_seconds())
        return int(now) // seconds * seconds


REGISTRY: dict[str, PeriodicJob] = {}


def every(
    *, minutes: int = 0, hours: int = 0, days: int = 0
) -> Callable[[Task[Any, Any]], Task[Any, Any]]:
    interval = timedelta(minutes=minutes, hours=hours, days=days)
    if interval.total_seconds() < 60:
        raise ValueError("A periodic job runs at most once a minute")

    def register(task: Task[Any, Any]) -> Task[Any, Any]:
        REGISTRY[task.module_path] = PeriodicJob(task.module_path, interval, task)
        return task

    return register


def tick(now: float | None = None) -> list[str]:
    """Enqueue every job whose slot has come; returns the names of the jobs enqueued."""
    moment = time.time() if now is None else now
    enqueued = []
    for job in REGISTRY.values():
        slot = job.slot(moment)
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(job=job.name, slot=slot)
                result = job.task.enqueue()
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler (or an earlier tick) took this slot
        logger.info("periodic job enqueued", extra={"job": job.name, "slot": slot})
        enqueued.append(job.name)
    return enqueued
