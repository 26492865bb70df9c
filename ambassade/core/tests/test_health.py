"""GET /healthz: database, queue depth, oldest waiting task, version; 200 or 503."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

import ambassade
from ambassade.core.tasks import prune_bookkeeping

pytestmark = pytest.mark.django_db


def test_a_healthy_instance_answers_200_with_its_figures(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == ambassade.__version__
    assert body["database"]["ok"] is True
    assert body["tasks"] == {
        "ok": True,
        "backend": "database",
        "depth": 0,
        "oldest_waiting_seconds": None,
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_queue_depth_counts_waiting_tasks(client: Client) -> None:
    prune_bookkeeping.enqueue()
    prune_bookkeeping.enqueue()
    body = client.get("/healthz").json()
    assert body["tasks"]["depth"] == 2
    assert body["tasks"]["oldest_waiting_seconds"] < 60


def test_a_task_waiting_too_long_makes_the_instance_unhealthy(client: Client, settings) -> None:
    settings.HEALTH_MAX_TASK_AGE_SECONDS = 60
    result = prune_bookkeeping.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=5)
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["tasks"]["ok"] is False
    assert body["tasks"]["oldest_waiting_seconds"] >= 300


def test_an_unreachable_database_answers_503(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ambassade.core import health

    monkeypatch.setattr(health, "database_ok", lambda: (False, 0.0))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False
