"""Background work of webhooks: sending a message, and the job that retries them."""

from __future__ import annotations

from django_tasks import task

from ambassade.core.periodic import every
from ambassade.webhooks import delivery


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
