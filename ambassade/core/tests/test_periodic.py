"""Periodic jobs run without cron: one enqueue per slot, however many schedulers tick."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ambassade.core import periodic
from ambassade.core.models import PeriodicRun
from ambassade.core.tasks import prune_bookkeeping

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_housekeeping_job_is_registered_hourly() -> None:
    job = periodic.REGISTRY[prune_bookkeeping.module_path]
    assert job.interval == timedelta(hours=1)


def test_two_schedulers_ticking_in_the_same_slot_enqueue_once() -> None:
    now = 1_800_000_000.0
    first = periodic.tick(now)
    second = periodic.tick(now + 5)  # the other scheduler, a few seconds later
    assert prune_bookkeeping.module_path in first
    assert second == []
    assert PeriodicRun.objects.filter(job=prune_bookkeeping.module_path).count() == 1
    assert DBTaskResult.objects.filter(task_path=prune_bookkeeping.module_path).count() == 1


def test_the_next_slot_enqueues_again() -> None:
    now = 1_800_000_000.0
    periodic.tick(now)
    assert prune_bookkeeping.module_path in periodic.tick(now + 3600)
    assert DBTaskResult.objects.filter(task_path=prune_bookkeeping.module_path).count() == 2


def test_a_worker_runs_what_the_scheduler_enqueued() -> None:
    old = PeriodicRun.objects.create(job="old.job", slot=1)
    PeriodicRun.objects.filter(pk=old.pk).update(enqueued_at=timezone.now() - timedelta(days=30))
    call_command("run_scheduler", once=True)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    result = DBTaskResult.objects.get(task_path=prune_bookkeeping.module_path)
    assert result.status == "SUCCESSFUL"
    assert result.return_value["periodic_runs"] == 1
    assert not PeriodicRun.objects.filter(pk=old.pk).exists()


def test_jobs_more_frequent_than_a_minute_are_refused() -> None:
    with pytest.raises(ValueError, match="at most once a minute"):
        periodic.every(minutes=0)
