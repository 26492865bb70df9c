"""A crisis of the organisation: named, dated, told to everyone, with its timeline."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person


class AtStart(models.TextChoices):
    """What becomes of the scheduled and queued posts when the crisis starts."""

    HOLD = "hold", _("Hold them until the end of the crisis")
    CANCEL = "cancel", _("Cancel them now")
    RETURN = "return", _("Return them to their authors now")


class AtEnd(models.TextChoices):
    """What becomes of the held posts when the crisis ends."""

    RESUME = "resume", _("Publish them again, spaced out")
    RETURN = "return", _("Return them to their authors")


class Crisis(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=3000)
    # Blank: the default words, in each reader's language (notices.py).
    to_do = models.TextField(_("what to do"), max_length=2000, blank=True)
    not_to_do = models.TextField(_("what not to do"), max_length=2000, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    at_start = models.CharField(max_length=8, choices=AtStart.choices, default=AtStart.HOLD)
    at_end = models.CharField(max_length=8, choices=AtEnd.choices, default=AtEnd.RESUME)
    # The spokespeople: they still share while sharing is closed to everyone else.
    exempt = models.ManyToManyField(Person, blank=True, related_name="+")
    started_by_label = models.CharField(max_length=200, blank=True)
    ended_by_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(ended_at__isnull=True),
                name="crisis_one_running",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def running(self) -> bool:
        return self.ended_at is None


class Step(models.Model):
    """One line of the crisis's timeline, kept for the post-mortem."""

    class Kind(models.TextChoices):
        STARTED = "started", _("Crisis started")
        POSTS_HELD = "posts_held", _("Posts held")
        POSTS_CANCELLED = "posts_cancelled", _("Posts cancelled")
        POSTS_RETURNED = "posts_returned", _("Posts returned to their authors")
        POSTS_RESUMED = "posts_resumed", _("Posts resumed")
        EXEMPT_CHANGED = "exempt_changed", _("Spokespeople changed")
        START_NOTICES_SENT = "start_notices_sent", _("Notices of the start sent")
        END_NOTICES_SENT = "end_notices_sent", _("Notices of the end sent")
        DESCRIPTION_UPDATED = "description_updated", _("Description updated")
        END_DATE_CHANGED = "end_date_changed", _("End date changed")
        ENDED = "ended", _("Crisis ended by hand")
        ENDED_AT_DATE = "ended_at_date", _("Crisis ended at its date")

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    count = models.PositiveIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} of crisis {self.crisis_id}"
