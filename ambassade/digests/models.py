"""The e-mail digest: each person's choice of rhythm, and one row per digest sent.

``DigestSent`` is claimed (inserted) before the mail leaves, under a unique
(person, period): two workers, or a re-run of the job, cannot both send a period's digest.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.people.models import Person


class Frequency(models.TextChoices):
    OFF = "off", _("Never")
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")


class Weekday(models.IntegerChoices):
    # Python's numbering (date.weekday()): Monday is 0.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


DEFAULT_WEEKDAY = Weekday.MONDAY
DEFAULT_HOUR = 9


def new_token() -> str:
    return secrets.token_urlsafe(32)


class DigestSubscription(models.Model):
    """A person's digest settings. Without a row, an enrolled ambassador gets the weekly
    digest on the defaults below; everybody else gets none."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="digest_subscription"
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"), choices=Weekday.choices, default=DEFAULT_WEEKDAY
    )
    # The hour in the person's own time zone (accounts User.time_zone).
    hour = models.PositiveSmallIntegerField(_("hour"), default=DEFAULT_HOUR)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Stands for the person in the unsubscribe link: long, random, never derived from ids.
    unsubscribe_token = models.CharField(max_length=64, unique=True, default=new_token)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hour__gte=0, hour__lte=23), name="digest_hour_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__gte=0, weekday__lte=6), name="digest_weekday_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_frequency_display()}"


class DigestSent(models.Model):
    """One digest for one person and one period ("2026-W49" weekly, "2026-12-01" daily)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=20)
    claimed_at = models.DateTimeField()
    # The run that inserted the row: a batch inserts with "skip on conflict", then reads
    # back the rows that carry its own claim, i.e. the digests it alone must send.
    claim = models.CharField(max_length=32, db_index=True)
    # Set by one UPDATE just before the mail is handed to the SMTP server, so that two
    # workers never both send it; emptied again if the server refused it (not retried:
    # nobody ever receives one period's digest twice).
    sent_at = models.DateTimeField(null=True, blank=True)
    item_ids = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "period"], name="digest_once_per_period")
        ]
        indexes = [models.Index(fields=["person", "-claimed_at"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.period}"
