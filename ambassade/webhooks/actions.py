"""Every write of webhooks: endpoints, their secrets, replays and test events."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.core.outbound import OutboundError, check_url
from ambassade.webhooks import delivery, keys
from ambassade.webhooks.catalogue import TEST, TYPES_BY_EVENT
from ambassade.webhooks.models import WebhookEndpoint, WebhookMessage
from ambassade.webhooks.signing import new_msg_id

PUBLIC_TYPES = {t.name for t in TYPES_BY_EVENT.values()}


def _check(actor: Actor, endpoint: WebhookEndpoint | None = None) -> None:
    if not allowed(actor, "webhooks.manage"):
        raise PermissionDenied
    if endpoint is not None and endpoint.organisation_id != actor.organisation.pk:
        raise PermissionDenied


def _clean(url: Any, description: Any, event_types: Any, *, known_url: str = "") -> dict[str, Any]:
    """The values made tidy, or a ValidationError naming each wrong field.

    The address is checked when it is new: switching an endpoint off must not depend on
    its host resolving today (each delivery checks it again anyway)."""
    errors: dict[str, str] = {}
    url = (url or "").strip() if isinstance(url, str) else ""
    if not url:
        errors["url"] = _("Give the address that receives the events (https://…).")
    elif url != known_url:
        try:
            check_url(url)
        except OutboundError as refusal:
            errors["url"] = refusal.message
    description = (description or "").strip() if isinstance(description, str) else ""
    if len(description) > 200:
        errors["description"] = _("At most %(limit)d characters.") % {"limit": 200}
    chosen = list(dict.fromkeys(event_types or []))
    unknown = [name for name in chosen if name not in PUBLIC_TYPES]
    if unknown:
        errors["event_types"] = _("Unknown event types: %(names)s.") % {
            "names": ", ".join(str(name) for name in unknown)
        }
    if errors:
        raise ValidationError(errors)
    return {"url": url, "description": description, "event_types": sorted(chosen)}


def _state(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
        "enabled": endpoint.enabled,
    }


def create_endpoint(
    actor: Actor, *, url: str, description: str = "", event_types: list[str] | None = None
) -> tuple[WebhookEndpoint, str]:
    """Returns the endpoint and its secret, which is shown this once."""
    _check(actor)
    values = _clean(url, description, event_types)
    now = timezone.now()
    with transaction.atomic():
        endpoint = WebhookEndpoint(organisation=actor.organisation, enabled_at=now, **values)
        secret = keys.set_new_secret(endpoint, now, keep_previous=False)
        endpoint.save()
        audit.record(
            "webhook_endpoint.created",
            organisation=actor.organisation,
            actor=actor,
            target=endpoint,
            after=_state(endpoint),
        )
    return endpoint, secret


def change_endpoint(actor: Actor, endpoint: WebhookEndpoint, **changes: Any) -> WebhookEndpoint:
    """Changes the address, description, types or the enabled switch (the others stay)."""
    _check(actor, endpoint)
    before = _state(endpoint)
    values = _clean(
        changes.get("url", endpoint.url),
        changes.get("description", endpoint.description),
        changes.get("event_types", endpoint.event_types),
        known_url=endpoint.url,
    )
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        for name, value in values.items():
            setattr(endpoint, name, value)
        enabled = changes.get("enabled", endpoint.enabled)
        if enabled and not endpoint.enabled:
            endpoint.enabled_at = timezone.now()
            endpoint.consecutive_failures = 0
            endpoint.disabled_reason = ""
        elif not enabled and endpoint.enabled:
            endpoint.disabled_reason = _("Disabled by %(name)s.") % {"name": actor.label}
        endpoint.enabled = bool(enabled)
        endpoint.save()
        audit.record(
            "webhook_endpoint.changed",
            organisation=actor.organisation,
            actor=actor,
            target=endpoint,
            before=before,
            after=_state(endpoint),
        )
    return endpoint


def delete_endpoint(actor: Actor, endpoint: WebhookEndpoint) -> None:
    _check(actor, endpoint)
    with transaction.atomic():
        audit.record(
            "webhook_endpoint.deleted",
            organisation=actor.organisation,
            actor=actor,
            target=endpoint,
            before=_state(endpoint),
        )
        endpoint.delete()


def rotate_secret(actor: Actor, endpoint: WebhookEndpoint) -> str:
    """A new secret, shown once; the previous one keeps signing for ROTATION_OVERLAP."""
    _check(actor, endpoint)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        secret = keys.set_new_secret(endpoint, timezone.now(), keep_previous=True)
        endpoint.save(update_fields=["secrets_encrypted", "previous_secret_expires_at"])
        audit.record(
            "webhook_endpoint.secret_rotated",
            organisation=actor.organisation,
            actor=actor,
            target=endpoint,
        )
    return secret


def replay(actor: Actor, message: WebhookMessage) -> WebhookMessage:
    """Sends the message again, with the same webhook-id, and a fresh series of tries."""
    _check(actor, message.endpoint)
    if not message.endpoint.enabled:
        raise ValidationError(_("Enable the endpoint before sending a message again."))
    with transaction.atomic():
        message = WebhookMessage.objects.select_for_update().get(pk=message.pk)
        message.status = WebhookMessage.Status.PENDING
        message.attempts = 0
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit.record(
            "webhook_message.replayed",
            organisation=actor.organisation,
            actor=actor,
            target=message,
        )
        ids = [message.pk]
        transaction.on_commit(lambda: delivery.queue(ids))
    return message


def send_test(actor: Actor, endpoint: WebhookEndpoint) -> WebhookMessage:
    """A ``webhook.test`` message to this endpoint, whatever the types it chose."""
    _check(actor, endpoint)
    if not endpoint.enabled:
        raise ValidationError(_("Enable the endpoint before sending it a test event."))
    now = timezone.now()
    with transaction.atomic():
        message = WebhookMessage.objects.create(
            organisation=actor.organisation,
            endpoint=endpoint,
            type=TEST.name,
            payload={
                "type": TEST.name,
                "timestamp": now.isoformat(),
                "data": {"endpoint_id": endpoint.pk, "message": "Hello from Ambassade"},
            },
            msg_id=new_msg_id(),
            next_attempt_at=now,
        )
        audit.record(
            "webhook_message.test_sent",
            organisation=actor.organisation,
            actor=actor,
            target=message,
        )
        ids = [message.pk]
        transaction.on_commit(lambda: delivery.queue(ids))
    return message
