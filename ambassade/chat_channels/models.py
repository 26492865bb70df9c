"""A program's Slack or Teams channel, reached through an incoming webhook, and its log.

The webhook address is a secret (whoever holds it posts in the channel): it is encrypted
like the sharing secrets (sharing/crypto.py) and never shown back, only its host.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.programs.models import Program
from ambassade.sharing import crypto

# After this many failed messages in a row a channel is paused and the admins are told.
PAUSE_AFTER = 10


class Kind(models.TextChoices):
    SLACK = "slack", _("Slack")
    TEAMS = "teams", _("Microsoft Teams")


class What(models.TextChoices):
    """What a delivery carried. New challenges will join once challenges exist."""

    FEATURED = "featured", _("Featured content")
    WEEKLY = "weekly", _("Weekly summary")
    TEST = "test", _("Test message")


class ChatChannel(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="chat_channels")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80)
    webhook = models.TextField(editable=False)  # encrypted: {"url": ...}
    webhook_host = models.CharField(_("webhook host"), max_length=255)
    send_featured = models.BooleanField(_("featured content"), default=True)
    send_weekly = models.BooleanField(_("weekly summary"), default=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveSmallIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_delivery_at = models.DateTimeField(null=True, blank=True)
    # The Monday (in the organisation's calendar) of the last weekly summary sent.
    last_summary_week = models.DateField(null=True, blank=True)
    # Set while a worker posts the weekly summary, so that two runs never both post it.
    summary_claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="chat_channel_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:  # never the webhook
        return f"<ChatChannel {self.pk} {self.kind} {self.webhook_host}>"

    @property
    def webhook_url(self) -> str:
        return crypto.decrypt(self.webhook).get("url", "")

    def store_webhook(self, url: str, host: str) -> None:
        self.webhook = crypto.encrypt({"url": url})
        self.webhook_host = host

    @property
    def active(self) -> bool:
        return self.enabled and self.paused_at is None


class ChatDelivery(models.Model):
    """One message posted (or not) to a channel; kept 30 days (tasks.forget_old_deliveries).

    Featured content is written PENDING by the subscriber (one row per channel and event)
    and posted by a task (sending.py); test messages and weekly summaries are written
    DONE once posted.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        DONE = "done", _("done")  # ``ok`` says whether it was delivered
        CANCELLED = "cancelled", _("cancelled")  # unfeatured, or the channel turned off

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(ChatChannel, on_delete=models.CASCADE, related_name="deliveries")
    what = models.CharField(max_length=16, choices=What.choices)
    # The domain event it carried (featured content), so that a retry skips channels done.
    event_id = models.BigIntegerField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DONE)
    subject = models.CharField(max_length=300, blank=True)  # for the page: what it carries
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)  # when SENDING began

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["channel", "event_id"], name="chat_delivery_event"),
            models.Index(fields=["status", "next_attempt_at"], name="chat_delivery_due"),
        ]
        constraints = [
            # One message per channel and event, however often the subscriber runs.
            models.UniqueConstraint(
                fields=["channel", "event_id"],
                condition=models.Q(event_id__isnull=False),
                name="chat_delivery_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.what} → {self.channel_id}: {self.status_code or self.error}"
