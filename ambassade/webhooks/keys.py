"""An endpoint's signing secrets, encrypted at rest with the sharing keys.

``current`` signs every message. After a rotation ``previous`` signs too (a second
signature in the same header) until ``previous_secret_expires_at``, so that a consumer
can switch to the new secret without losing a message.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from ambassade.sharing import crypto
from ambassade.webhooks import signing
from ambassade.webhooks.models import WebhookEndpoint

# How long the previous secret keeps signing after a rotation.
ROTATION_OVERLAP = timedelta(hours=24)


def set_new_secret(endpoint: WebhookEndpoint, now: datetime, *, keep_previous: bool) -> str:
    """Gives the endpoint a new current secret (not saved); returns it, shown once."""
    secret = signing.new_secret()
    previous = current_secret(endpoint) if keep_previous and endpoint.secrets_encrypted else ""
    endpoint.secrets_encrypted = crypto.encrypt({"current": secret, "previous": previous})
    endpoint.previous_secret_expires_at = now + ROTATION_OVERLAP if previous else None
    return secret


def current_secret(endpoint: WebhookEndpoint) -> str:
    return crypto.decrypt(endpoint.secrets_encrypted).get("current", "")


def secrets_in_use(endpoint: WebhookEndpoint, now: datetime | None = None) -> list[str]:
    stored = crypto.decrypt(endpoint.secrets_encrypted)
    found = [stored["current"]] if stored.get("current") else []
    expires = endpoint.previous_secret_expires_at
    if stored.get("previous") and expires is not None and (now or timezone.now()) < expires:
        found.append(stored["previous"])
    return found
