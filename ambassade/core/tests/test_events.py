"""The domain-event spine: recorded with the action, delivered after commit, once, and
retried until delivered."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from ambassade.core import audit, events
from ambassade.core.models import AuditEvent, DomainEvent, EventDelivery
from ambassade.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
NAME = "content.item_archived"


class Probe:
    """A subscriber that writes an audit row, and fails while ``failures`` says so."""

    def __init__(self) -> None:
        self.calls: list[int] = []
        self.failures = 0
        self.key = ""

    def __call__(self, event: DomainEvent) -> None:
        self.calls.append(event.pk)
        audit.record("probe.seen", organisation=event.organisation, actor=None)
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the subscriber's service is down")


@pytest.fixture
def probe() -> Iterator[Probe]:
    found = Probe()

    def probe_subscriber(event: DomainEvent) -> None:
        found(event)

    events.subscribe(NAME)(probe_subscriber)
    found.key = events.subscriber_key(probe_subscriber)
    yield found
    events._SUBSCRIBERS[NAME].pop(found.key)


def _delivery(probe: Probe) -> EventDelivery:
    return EventDelivery.objects.get(subscriber=probe.key)


def test_an_event_rolls_back_with_its_action(probe, settings) -> None:
    settings.TASKS = IMMEDIATE
    organisation = OrganisationFactory()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        events.record(NAME, organisation, item_id=1)
        _ = 1 / 0  # the action fails after recording
    assert not DomainEvent.objects.exists()
    assert not EventDelivery.objects.exists()
    assert probe.calls == []


def test_an_event_is_recorded_only_inside_a_transaction(transactional_db) -> None:
    with pytest.raises(RuntimeError):
        events.record(NAME, None, item_id=1)
    with pytest.raises(ValueError), transaction.atomic():
        events.record("content.item_renamed", None, item_id=1)
    with pytest.raises(ValueError):
        events.subscribe("content.item_renamed")


def test_subscribers_run_after_commit_not_before(
    probe, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE
    organisation = OrganisationFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = events.record(NAME, organisation, item_id=7)
        assert probe.calls == []  # not inside the action's transaction
    assert probe.calls == [event.pk]
    assert event.version == events.CATALOGUE[NAME]
    assert event.payload == {"item_id": 7}
    delivery = _delivery(probe)
    assert (delivery.status, delivery.attempts) == ("done", 1)


def test_a_failing_subscriber_is_rolled_back_and_retried_until_delivered(
    probe, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE
    organisation = OrganisationFactory()
    probe.failures = 2
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        events.record(NAME, organisation, item_id=7)
    delivery = _delivery(probe)
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "service is down" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now()
    assert not AuditEvent.objects.filter(action="probe.seen").exists()  # its writes undone
    # Not due yet: the periodic job leaves it.
    assert events.redeliver() == 0
    later = timezone.now() + timedelta(hours=1)
    assert events.redeliver(later) == 1  # fails again
    assert events.redeliver(later + timedelta(hours=2)) == 1  # delivered
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("done", 3, "")
    assert len(probe.calls) == 3
    assert AuditEvent.objects.filter(action="probe.seen").count() == 1
    assert events.redeliver(later + timedelta(days=1)) == 0


def test_a_delivery_is_done_once_whoever_runs_it(probe, settings) -> None:
    organisation = OrganisationFactory()  # the database queue: nothing runs by itself
    with transaction.atomic():
        events.record(NAME, organisation, item_id=7)
    delivery = _delivery(probe)
    assert events.deliver(delivery.pk) == "delivered"
    assert events.deliver(delivery.pk) == "done already"  # the periodic job, a second worker
    assert len(probe.calls) == 1


def test_a_delivery_whose_task_never_ran_is_delivered_by_the_periodic_job(
    probe, settings, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    settings.TASKS = IMMEDIATE
    from ambassade.core.tasks import deliver_events

    def queue_down(*_args: Any) -> None:
        raise ConnectionError("the queue is down")

    organisation = OrganisationFactory()
    with monkeypatch.context() as patched:
        patched.setattr(type(deliver_events), "enqueue", queue_down)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            events.record(NAME, organisation, item_id=7)
    assert probe.calls == []
    assert _delivery(probe).status == "pending"
    assert events.redeliver(timezone.now() + events.GRACE) >= 1
    assert _delivery(probe).status == "done"
    assert not EventDelivery.objects.filter(status="pending").exists()  # every subscriber


def test_the_subscribers_of_one_event_share_one_task_and_fail_apart(
    probe, django_capture_on_commit_callbacks
) -> None:
    # The database queue: the task is stored, not run. One task for the event, however
    # many subscribers (the queue's bookkeeping per task weighed on the publishing workers).
    from django_tasks_db.models import DBTaskResult

    def failing_subscriber(event: DomainEvent) -> None:
        raise RuntimeError("this one is down")

    events.subscribe(NAME)(failing_subscriber)
    failing = events.subscriber_key(failing_subscriber)
    try:
        before = DBTaskResult.objects.count()
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            events.record(NAME, OrganisationFactory(), item_id=7)
        assert DBTaskResult.objects.count() == before + 1
        queued = DBTaskResult.objects.order_by("-enqueued_at").first()
        assert queued is not None and queued.task_path.endswith("deliver_events")
        ids = queued.args_kwargs["args"][0]
        assert sorted(ids) == sorted(EventDelivery.objects.values_list("pk", flat=True))
        assert len(ids) >= 2
        outcomes = dict(zip(ids, events.deliver_all(ids), strict=True))
        assert outcomes[_delivery(probe).pk] == "delivered"
        assert outcomes[EventDelivery.objects.get(subscriber=failing).pk] == "failed"
        assert probe.calls and _delivery(probe).status == "done"
        assert EventDelivery.objects.get(subscriber=failing).status == "pending"
    finally:
        events._SUBSCRIBERS[NAME].pop(failing)


def test_every_event_of_the_catalogue_is_documented() -> None:
    text = (Path(__file__).resolve().parents[3] / "docs" / "events.md").read_text()
    for name, version in events.CATALOGUE.items():
        assert re.search(rf"`{re.escape(name)}`.*\b{version}\b", text), name
