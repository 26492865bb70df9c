"""Outbound webhooks: where an organisation wants its events, and what was sent there.

Standard Webhooks (https://www.standardwebhooks.com): each message has an id
(``msg_…``) kept across retries and replays, so that a consumer can drop duplicates.
Secrets are encrypted at rest with the sharing keys (sharing/crypto.py); during a
rotation the previous secret keeps signing too, until it expires.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import DomainEvent, Organisation


class WebhookEndpoint(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("address"), max_length=2048)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Public type names (webhooks.catalogue.TYPES); empty: every type.
    event_types = models.JSONField(_("event types"), default=list, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    disabled_reason = models.CharField(_("why it is disabled"), max_length=300, blank=True)
    # {"current": "whsec_…", "previous": "whsec_…" or ""} encrypted (sharing/crypto.py).
    secrets_encrypted = models.TextField(default="", editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # Messages failed for good in a row since the last success (automatic disabling).
    consecutive_failures = models.PositiveIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    # When it was last (re-)enabled: a day without delivery counts from here at the latest.
    enabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description or self.url

    def wants(self, public_type: str) -> bool:
        return not self.event_types or public_type in self.event_types


class WebhookMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="messages")
    # Null for a test message, which no domain event caused.
    event = models.ForeignKey(
        DomainEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    type = models.CharField(_("type"), max_length=60)
    payload = models.JSONField(_("body"))  # {"type", "timestamp", "data"}, as sent
    msg_id = models.CharField(max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook message")
        verbose_name_plural = _("webhook messages")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_message_once")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.type} {self.msg_id}"

    @property
    def type_label(self) -> str:
        """The type's name in the reader's language."""
        from ambassade.webhooks.catalogue import label_of

        return label_of(self.type)


class WebhookAttempt(models.Model):
    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    response_status = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)  # the first kilobyte
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.response_status or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.response_status is not None and 200 <= self.response_status < 300
