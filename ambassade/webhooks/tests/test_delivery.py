"""Events reach a local consumer signed per Standard Webhooks, retried until delivered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.core.authz import actor_for_person
from ambassade.core.events import CATALOGUE, subscribers
from ambassade.core.models import DomainEvent
from ambassade.webhooks import actions, delivery, tasks
from ambassade.webhooks.catalogue import TYPES_BY_EVENT
from ambassade.webhooks.models import WebhookAttempt, WebhookMessage
from ambassade.webhooks.subscribers import create_messages
from ambassade.webhooks.tests.conftest import SHARE_PUBLISHED, add_endpoint, record

pytestmark = pytest.mark.django_db


def _due_now(message: WebhookMessage) -> None:
    """The time of the next try has come (the backoff's wait, without waiting)."""
    WebhookMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())


def test_every_domain_event_has_a_public_type_and_a_webhook_subscriber() -> None:
    assert set(TYPES_BY_EVENT) == set(CATALOGUE)
    for name in CATALOGUE:
        assert "ambassade.webhooks.subscribers.to_webhooks" in subscribers(name), name


def test_a_published_share_reaches_the_consumer_signed(
    persona, consumer, django_capture_on_commit_callbacks
) -> None:
    endpoint = add_endpoint(persona.admin, consumer, event_types=["share.published"])
    record(
        django_capture_on_commit_callbacks,
        "sharing.share_published",
        persona.organisation,
        **SHARE_PUBLISHED,
    )
    [got] = consumer.received
    assert got.refusal == ""
    assert got.verified["type"] == "share.published"
    assert got.verified["data"] == SHARE_PUBLISHED
    assert set(got.verified) == {"type", "timestamp", "data"}
    message = WebhookMessage.objects.get(endpoint=endpoint)
    assert got.headers["webhook-id"] == message.msg_id and message.msg_id.startswith("msg_")
    assert got.headers["webhook-signature"].startswith("v1,")
    assert (message.status, message.attempts) == ("delivered", 1)
    attempt = WebhookAttempt.objects.get(message=message)
    assert (attempt.response_status, attempt.response_body) == (200, '{"ok": true}')


def test_types_the_endpoint_did_not_choose_are_not_sent(
    persona, consumer, django_capture_on_commit_callbacks
) -> None:
    add_endpoint(persona.admin, consumer, event_types=["share.published"])
    record(
        django_capture_on_commit_callbacks,
        "content.item_published",
        persona.organisation,
        item_id=4,
        title="Nos résultats",
        featured=False,
        program_ids=[],
    )
    assert consumer.received == []
    assert not WebhookMessage.objects.exists()


def test_payloads_carry_only_the_public_fields(
    persona, consumer, django_capture_on_commit_callbacks
) -> None:
    add_endpoint(persona.admin, consumer)
    record(
        django_capture_on_commit_callbacks,
        "programs.enrolment_started",
        persona.organisation,
        enrolment_id=5,
        program_id=2,
        person_id=7,
        email="ambassador@example.com",  # a payload grown a private field by mistake
    )
    [got] = consumer.received
    assert got.verified == {
        "type": "enrolment.started",
        "timestamp": got.verified["timestamp"],
        "data": {"enrolment_id": 5, "program_id": 2, "person_id": 7},
    }


def test_a_failing_consumer_gets_the_message_again_until_it_accepts(
    persona, consumer, django_capture_on_commit_callbacks
) -> None:
    add_endpoint(persona.admin, consumer)
    consumer.statuses = [500]
    record(
        django_capture_on_commit_callbacks,
        "sharing.share_published",
        persona.organisation,
        **SHARE_PUBLISHED,
    )
    message = WebhookMessage.objects.get()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.next_attempt_at is not None and message.next_attempt_at > timezone.now()
    assert tasks.retry_due_messages.call() == 0  # not yet: five seconds of backoff
    _due_now(message)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.retry_due_messages.call() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("delivered", 2)
    assert len(set(consumer.ids())) == 1 and len(consumer.received) == 2
    assert [a.response_status for a in message.tries.order_by("pk")] == [500, 200]
    assert all(r.refusal == "" for r in consumer.received)


def test_the_last_try_fails_the_message_for_good(persona, consumer, settings) -> None:
    endpoint = add_endpoint(persona.admin, consumer)
    consumer.statuses = [503]
    message = actions.send_test(actor_for_person(persona.admin), endpoint)
    WebhookMessage.objects.filter(pk=message.pk).update(attempts=delivery.MAX_ATTEMPTS - 1)
    assert delivery.send(message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.next_attempt_at) == ("failed", None)
    assert sum(delivery.BACKOFF, timedelta()) >= timedelta(days=1)


def test_the_subscriber_run_twice_makes_one_message(
    persona, consumer, django_capture_on_commit_callbacks
) -> None:
    add_endpoint(persona.admin, consumer)
    record(
        django_capture_on_commit_callbacks,
        "sharing.share_failed",
        persona.organisation,
        target_id=3,
        share_id=2,
        person_id=7,
        item_id=None,
        network="bluesky",
        kind="rejected",
    )
    event = DomainEvent.objects.get(name="sharing.share_failed")
    assert create_messages(event) == []  # the event spine retried it: nothing new
    assert WebhookMessage.objects.count() == 1
    assert len(consumer.received) == 1
    assert consumer.received[0].verified["data"]["kind"] == "rejected"


def test_the_delivery_log_keeps_thirty_days(persona, consumer) -> None:
    endpoint = add_endpoint(persona.admin, consumer)
    actor = actor_for_person(persona.admin)
    old, recent, waiting = (actions.send_test(actor, endpoint) for _ in range(3))
    long_ago = timezone.now() - tasks.LOG_RETENTION - timedelta(days=1)
    WebhookMessage.objects.filter(pk__in=[old.pk, waiting.pk]).update(created_at=long_ago)
    WebhookMessage.objects.filter(pk__in=[old.pk, recent.pk]).update(status="delivered")
    tasks.prune_delivery_log.call()
    assert set(WebhookMessage.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
