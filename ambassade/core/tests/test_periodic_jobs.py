"""Every periodic job runs over the full demo data without an exception, and one bad
item never stops a batch: it is logged once, recorded where it has a place, and the
items after it are served."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.db import IntegrityError

from ambassade.core import demo
from ambassade.core.batch import each
from ambassade.core.periodic import REGISTRY

pytestmark = pytest.mark.django_db


def test_every_periodic_job_runs_over_the_demo_data(settings, caplog) -> None:
    from ambassade.sharing.models import SocialAccount

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    demo.build(people=120, days=30, seed=3, today=date.today(), progress=lambda _: None)
    connected = SocialAccount.objects.filter(status=SocialAccount.Status.CONNECTED).count()
    assert connected > 0
    assert {
        "ambassade.sharing.tasks.fetch_metrics",
        "ambassade.sharing.tasks.refresh_audiences",
        "ambassade.tracking.tasks.ingest_clicks",
        "ambassade.people.tasks.process_departures",
    } <= set(REGISTRY)
    with caplog.at_level(logging.ERROR):
        for _name, job in sorted(REGISTRY.items()):
            job.task.call()  # raises on the first exception a job lets through
    assert [r for r in caplog.records if r.name == "ambassade.core.batch"] == []
    # The demo's accounts are valid for the code that reads them: still connected.
    assert SocialAccount.objects.filter(status=SocialAccount.Status.CONNECTED).count() == connected


def test_one_bad_item_is_logged_once_and_the_batch_goes_on(caplog) -> None:
    recorded: list[tuple[int, str]] = []

    def handle(number: int) -> int:
        if number == 2:
            raise KeyError("pds_url")
        if number == 3:
            raise IntegrityError("duplicate")
        return 1

    with caplog.at_level(logging.INFO, logger="ambassade.core.batch"):
        tally = each("test.job", [1, 2, 3, 4], handle, record=lambda n, m: recorded.append((n, m)))
    assert (tally.done, tally.failed) == (2, 2)
    assert recorded == [(2, "KeyError: 'pds_url'"), (3, "IntegrityError: duplicate")]
    failures = [r for r in caplog.records if r.name == "ambassade.core.batch"]
    assert [getattr(r, "item", None) for r in failures] == ["2", "3"]
