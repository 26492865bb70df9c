"""Reading webhooks for the pages and the API, always within one organisation."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from ambassade.core.models import Organisation
from ambassade.webhooks.models import WebhookAttempt, WebhookEndpoint, WebhookMessage


def endpoints(organisation: Organisation) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organisation=organisation)


def endpoint(organisation: Organisation, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, organisation=organisation, pk=endpoint_id)


def message_log(endpoint: WebhookEndpoint) -> QuerySet[WebhookMessage]:
    """The endpoint's messages, newest first, with their last answer's status and time."""
    last = WebhookAttempt.objects.filter(message=OuterRef("pk")).order_by("-at", "-pk")
    return WebhookMessage.objects.filter(
        endpoint=endpoint, organisation_id=endpoint.organisation_id
    ).annotate(
        last_status=Subquery(last.values("response_status")[:1]),
        last_at=Subquery(last.values("at")[:1]),
        last_error=Subquery(last.values("error")[:1]),
    )


def message(endpoint: WebhookEndpoint, message_id: int) -> WebhookMessage:
    return get_object_or_404(
        WebhookMessage.objects.select_related("endpoint"),
        endpoint=endpoint,
        organisation_id=endpoint.organisation_id,
        pk=message_id,
    )
