"""Background work of webhooks: sending a message, and the job that retries them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from ambassade.core.periodic import every
from ambassade.webhooks import delivery
from ambassade.webhooks.models import WebhookMessage

# The delivery log keeps this long; messages still waiting are kept until they end.
LOG_RETENTION = timedelta(days=30)


@task()
def send_message(message_id: int) -> str:
    """Sends one webhook message if it is due (webhooks/delivery.py)."""
    return delivery.send(message_id)


@every(minutes=1)
@task()
def retry_due_messages() -> int:
    """Queues the messages due again (failed tries, and those whose task never ran)."""
    due = delivery.due_messages()
    delivery.queue(due)
    return len(due)


@every(days=1)
@task()
def prune_delivery_log() -> int:
    """Deletes delivered and failed messages (with their tries) older than LOG_RETENTION."""
    cutoff = timezone.now() - LOG_RETENTION
    deleted, _ = (
        WebhookMessage.objects.filter(created_at__lt=cutoff)
        .exclude(status=WebhookMessage.Status.PENDING)
        .delete()
    )
    return deleted
