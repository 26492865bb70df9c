"""Every domain event becomes a webhook message for each endpoint that wants its type.

The subscriber only writes the messages (one per endpoint and event, whatever the number
of times it runs) and queues their sending after commit; a slow or dead endpoint never
holds up the event spine.
"""

from __future__ import annotations

from django.db import transaction

from ambassade.core.events import CATALOGUE, subscribe
from ambassade.core.models import DomainEvent
from ambassade.webhooks import delivery
from ambassade.webhooks.catalogue import TYPES_BY_EVENT, data_for
from ambassade.webhooks.models import WebhookEndpoint, WebhookMessage
from ambassade.webhooks.signing import new_msg_id


def create_messages(event: DomainEvent) -> list[int]:
    """The messages of this event, created once; returns the ids of those created now."""
    public_type = TYPES_BY_EVENT.get(event.name)
    if event.organisation_id is None or public_type is None:
        # An event without a public type yet is not published (a test asks for one).
        return []
    endpoints = list(
        WebhookEndpoint.objects.filter(organisation_id=event.organisation_id, enabled=True)
    )
    if not endpoints:
        return []  # most organisations have none: no need to read what was sent
    already = set(WebhookMessage.objects.filter(event=event).values_list("endpoint_id", flat=True))
    payload = {
        "type": public_type.name,
        "timestamp": event.occurred_at.isoformat(),
        "data": data_for(public_type, event.payload),
    }
    created = []
    for endpoint in endpoints:
        if endpoint.pk in already or not endpoint.wants(public_type.name):
            continue
        message = WebhookMessage.objects.create(
            organisation_id=event.organisation_id,
            endpoint=endpoint,
            event=event,
            type=public_type.name,
            payload=payload,
            msg_id=new_msg_id(),
            next_attempt_at=event.occurred_at,
        )
        created.append(message.pk)
    return created


def to_webhooks(event: DomainEvent) -> None:
    created = create_messages(event)
    if created:
        transaction.on_commit(lambda: delivery.queue(created))


# One subscriber, registered for every event of the catalogue (TYPES_BY_EVENT maps each).
for _name in CATALOGUE:
    subscribe(_name)(to_webhooks)
