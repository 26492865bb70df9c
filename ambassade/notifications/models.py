"""Notifications in the app, each person's choices, and their quiet hours and caps."""

from __future__ import annotations

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person


class Notification(models.Model):
    """One notice to one person; the in-app centre lists them, other channels send a copy."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=32)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=2048, blank=True)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # The domain event it came from: a plain id (delivered events are pruned), unique per
    # person and kind so that a subscriber run twice never notifies twice.
    event_id = models.BigIntegerField(null=True, blank=True)
    # Channels other than in-app: those it went out on, and those waiting for the end of
    # the person's quiet hours (sent by the release_held_notifications job).
    sent_channels = models.JSONField(default=list, blank=True)
    held_channels = models.JSONField(default=list, blank=True)
    hold_until = models.DateTimeField(null=True, blank=True)
    went_out = models.BooleanField(default=False)  # counted by the caps
    # Over the person's daily or weekly cap: written in the app only.
    capped = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "event_id"], name="notification_once_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["person", "read_at"], name="notification_unread"),
            models.Index(fields=["hold_until"], name="notification_held"),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """A person's choice for one kind on one channel; no row means the kind's default."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32)
    channel = models.CharField(max_length=32)
    enabled = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "channel"], name="notification_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}: {self.enabled}"


DEFAULT_QUIET_START = time(22, 0)
DEFAULT_QUIET_END = time(7, 0)
DEFAULT_DAILY_CAP = 3
DEFAULT_WEEKLY_CAP = 10


class Settings(models.Model):
    """Quiet hours and caps (defaults when absent), and when the person was last seen."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="notification_settings"
    )
    quiet_start = models.TimeField(_("quiet hours from"), default=DEFAULT_QUIET_START)
    quiet_end = models.TimeField(_("quiet hours until"), default=DEFAULT_QUIET_END)
    daily_cap = models.PositiveSmallIntegerField(
        _("messages a day at most"), default=DEFAULT_DAILY_CAP
    )
    weekly_cap = models.PositiveSmallIntegerField(
        _("messages a week at most"), default=DEFAULT_WEEKLY_CAP
    )
    # Written at most once a day by LastSeenMiddleware; read by the nudge job.
    last_seen_on = models.DateField(null=True, blank=True)
    last_nudged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.person_id)
