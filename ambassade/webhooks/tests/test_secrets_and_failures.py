"""Rotation signs with both secrets; replays keep the webhook-id; dead endpoints stop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ambassade.core.authz import actor_for_person
from ambassade.core.models import AuditEvent
from ambassade.webhooks import actions, delivery
from ambassade.webhooks.models import WebhookEndpoint, WebhookMessage
from ambassade.webhooks.tests.conftest import SHARE_PUBLISHED, add_endpoint, record

pytestmark = pytest.mark.django_db


def test_secrets_are_stored_encrypted(persona, consumer) -> None:
    endpoint = add_endpoint(persona.admin, consumer)
    [secret] = consumer.secrets
    assert secret.startswith("whsec_")
    stored = WebhookEndpoint.objects.get(pk=endpoint.pk).secrets_encrypted
    assert secret not in stored and secret.removeprefix("whsec_") not in stored


def test_after_a_rotation_both_secrets_verify_until_the_old_one_expires(
    persona, consumer, django_capture_on_commit_callbacks
) -> None:
    endpoint = add_endpoint(persona.admin, consumer)
    [old] = consumer.secrets
    new = actions.rotate_secret(actor_for_person(persona.admin), endpoint)
    assert new != old and new.startswith("whsec_")
    consumer.secrets = [old, new]  # the consumer checks each one on its own
    record(
        django_capture_on_commit_callbacks,
        "sharing.share_published",
        persona.organisation,
        **SHARE_PUBLISHED,
    )
    [got] = consumer.received
    assert got.refusal == "" and got.verified["type"] == "share.published"
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    # A day later the previous secret no longer signs.
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        previous_secret_expires_at=timezone.now() - timedelta(seconds=1)
    )
    consumer.secrets = [new]
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_test(actor_for_person(persona.admin), endpoint)
    later = consumer.received[1]
    assert later.refusal == "" and len(later.headers["webhook-signature"].split(" ")) == 1
    assert later.verified["type"] == "webhook.test"


def test_a_replay_sends_the_same_webhook_id_again(
    persona, consumer, django_capture_on_commit_callbacks
) -> None:
    endpoint = add_endpoint(persona.admin, consumer)
    with django_capture_on_commit_callbacks(execute=True):
        message = actions.send_test(actor_for_person(persona.admin), endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        actions.replay(actor_for_person(persona.admin), message)
    assert consumer.ids() == [message.msg_id, message.msg_id]
    assert all(r.refusal == "" for r in consumer.received)
    assert message.tries.count() == 2
    assert AuditEvent.objects.filter(action="webhook_message.replayed").count() == 1


def _fail_for_good(endpoint: WebhookEndpoint, admin, consumer) -> None:
    consumer.statuses.append(500)
    message = actions.send_test(actor_for_person(admin), endpoint)
    WebhookMessage.objects.filter(pk=message.pk).update(attempts=delivery.MAX_ATTEMPTS - 1)
    assert delivery.send(message.pk) == "failed"


def test_an_endpoint_failing_again_and_again_is_disabled_and_the_admins_told(
    persona, consumer, django_capture_on_commit_callbacks
) -> None:
    endpoint = add_endpoint(persona.admin, consumer)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(delivery.DISABLE_AFTER - 1):
            _fail_for_good(endpoint, persona.admin, consumer)
    endpoint.refresh_from_db()
    assert endpoint.enabled and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _fail_for_good(endpoint, persona.admin, consumer)
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert "in a row could not be delivered" in endpoint.disabled_reason
    [sent] = mail.outbox
    assert sent.to == ["admin@example.com"]
    assert endpoint.url in sent.body
    assert f"/console/settings/webhooks/{endpoint.pk}/" in sent.body
    assert AuditEvent.objects.filter(action="webhook_endpoint.disabled_automatically").exists()
    # Nothing more goes to a disabled endpoint.
    record(
        django_capture_on_commit_callbacks,
        "sharing.share_published",
        persona.organisation,
        **SHARE_PUBLISHED,
    )
    assert not WebhookMessage.objects.filter(type="share.published").exists()


def test_an_endpoint_that_accepted_nothing_for_a_day_is_disabled_at_its_first_failure(
    persona, consumer, django_capture_on_commit_callbacks
) -> None:
    endpoint = add_endpoint(persona.admin, consumer)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        created_at=timezone.now() - timedelta(days=2),
        enabled_at=timezone.now() - timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        _fail_for_good(endpoint, persona.admin, consumer)
    endpoint.refresh_from_db()
    assert not endpoint.enabled and "for a day" in endpoint.disabled_reason
    assert len(mail.outbox) == 1
    # Enabled again, it starts afresh.
    actions.change_endpoint(actor_for_person(persona.admin), endpoint, enabled=True)
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.disabled_reason == ""
    assert endpoint.consecutive_failures == 0
