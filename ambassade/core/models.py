"""Organisations, the audit log and the scheduler's bookkeeping."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """The tenant: every object of the product belongs to exactly one organisation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#1d3f8f",
        help_text=_("Hexadecimal colour of primary actions, for example #1d3f8f."),
    )
    retention_days_after_departure = models.PositiveIntegerField(
        _("retention after departure (days)"),
        default=365,
        help_text=_(
            "Days after the end date before a former employee who is not an alumni is anonymised."
        ),
    )
    departure_notice_days = models.PositiveIntegerField(
        _("departure notice (days)"),
        default=14,
        help_text=_(
            "Days before the end date when the person receives their data export link "
            "and the alumni offer."
        ),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Language codes the organisation works in, e.g. fr, en."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    # Set by the instance's operator: its people cannot sign in, nothing is deleted and
    # its tracked links keep redirecting.
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


class AuditEvent(models.Model):
    """One administrative action or consent event: who, what, when, before and after.

    Rows are only ever inserted. ``actor_label`` keeps a readable name even after the
    actor's account is anonymised or deleted.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="audit_events", null=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("object type"), max_length=80, blank=True)
    target_id = models.CharField(_("object"), max_length=64, blank=True)
    target_label = models.CharField(_("object name"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    via = models.CharField(_("through"), max_length=16, default="web")
    # The API token that made the change, if one did. A plain number and the token's
    # name, not a foreign key: tokens live in a higher app, and the row must keep
    # naming the token after it is deleted with its person.
    token_id = models.PositiveBigIntegerField(_("API token"), null=True, blank=True)
    token_label = models.CharField(_("API token name"), max_length=140, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="audit_org_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class PeriodicRun(models.Model):
    """One row per periodic job and time slot: the unique constraint is the lock.

    Every scheduler process tries to insert the row for the current slot; exactly one
    succeeds and enqueues the task, so several schedulers can run side by side
    without an external cron or leader election.
    """

    job = models.CharField(max_length=120)
    slot = models.BigIntegerField(help_text="Start of the slot, in seconds since the epoch")
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="periodic_run_once")]
        indexes = [models.Index(fields=["job", "-slot"], name="periodic_job_latest")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot}"


class DomainEvent(models.Model):
    """Something that happened in one app that higher apps react to (core/events.py).

    Written in the transaction of the action it records, so it exists exactly when the
    action committed; each subscriber gets an ``EventDelivery`` row in the same transaction.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", null=True
    )
    name = models.CharField(max_length=80)
    version = models.PositiveSmallIntegerField()
    payload = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["name", "-occurred_at"], name="domain_event_name")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version} #{self.pk}"


class EventDelivery(models.Model):
    """One event for one subscriber: done once, retried until it is."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DONE = "done", "done"

    event = models.ForeignKey(DomainEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.CharField(max_length=200)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="event_delivery_once")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="event_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.subscriber} ({self.status})"
