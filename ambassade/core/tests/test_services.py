"""The real services of production: PostgreSQL and Redis, used for real when configured.

Locally a missing service is skipped with its reason; with CI=true it fails the run.
"""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from ambassade.conftest import need_service
from ambassade.core.tasks import prune_bookkeeping

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_queue():
    import django_rq
    from redis.exceptions import ConnectionError as RedisConnectionError

    queue = django_rq.get_queue("default")
    try:
        queue.connection.ping()
    except RedisConnectionError as error:
        need_service(False, f"Redis at REDIS_URL does not answer: {error}")
    queue.empty()
    yield queue
    queue.empty()


@pytest.mark.postgres
def test_the_suite_runs_on_postgresql_when_database_url_says_so() -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


@pytest.mark.redis
def test_a_task_goes_through_redis_and_a_worker_runs_it(redis_queue) -> None:
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    result = prune_bookkeeping.using(backend="redis").enqueue()
    assert redis_queue.count == 1
    worker = django_rq.get_worker("default", job_class=Job, worker_class=SimpleWorker)
    worker.work(burst=True)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"periodic_runs": 0, "task_results": 0, "events": 0}


@pytest.mark.redis
def test_health_reports_the_redis_queue(redis_queue, client, settings) -> None:
    settings.TASK_BACKEND = "redis"
    settings.TASKS = {**settings.TASKS, "default": settings.TASKS["redis"]}
    prune_bookkeeping.using(backend="redis").enqueue()
    body = client.get("/healthz").json()
    assert body["tasks"]["backend"] == "redis"
    assert body["tasks"]["depth"] == 1
    assert body["tasks"]["oldest_waiting_seconds"] is not None


@pytest.mark.redis
def test_the_cache_is_shared_through_redis(redis_queue) -> None:
    key = f"test:{uuid.uuid4()}"
    cache.set(key, {"clicks": 3}, 30)
    assert cache.get(key) == {"clicks": 3}
    assert "RedisCache" in settings.CACHES["default"]["BACKEND"]
    cache.delete(key)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_tasks_from_redis(redis_queue, settings) -> None:
    from ambassade import cli

    settings.TASK_BACKEND = "redis"
    result = prune_bookkeeping.using(backend="redis").enqueue()
    assert cli.main(["worker", "--burst"]) == 0
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert redis_queue.count == 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_runs_tasks_from_the_database() -> None:
    from ambassade import cli

    result = prune_bookkeeping.enqueue()
    assert cli.main(["worker", "--burst"]) == 0
    result.refresh()
    assert result.status == "SUCCESSFUL"
