"""The autopilot: a person lets chosen channels queue posts for them, in their own words,
on their own accounts, each previewed before it goes out (docs/decisions/0040-autopilot.md)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.content.models import Channel, ContentItem
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.sharing.models import ShareTarget, SocialAccount


class AutopilotSettings(models.Model):
    """The organisation's bounds: how many posts a week at most, how long the preview lasts."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="autopilot_settings"
    )
    max_per_week = models.PositiveSmallIntegerField(
        _("autopilot posts per person and week, at most"), default=3
    )
    preview_hours = models.PositiveSmallIntegerField(
        _("preview window before an autopilot post goes out (hours)"), default=24
    )

    def __str__(self) -> str:
        return f"autopilot settings of {self.organisation_id}"


class Autopilot(models.Model):
    """One person's autopilot: off until they turn it on."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="autopilot")
    enabled = models.BooleanField(_("on"), default=False)
    template = models.TextField(_("my words"), max_length=1000, blank=True)
    per_week = models.PositiveSmallIntegerField(_("posts a week, at most"), default=1)
    channels = models.ManyToManyField(Channel, blank=True, related_name="+")
    accounts = models.ManyToManyField(SocialAccount, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"autopilot of {self.person_id}"


class Outcome(models.TextChoices):
    QUEUED = "queued", _("Queued for you")
    TOO_SIMILAR = "too_similar", _("Not prepared: too close to a colleague's post")
    WEEKLY_LIMIT = "weekly_limit", _("Not prepared: weekly limit reached")
    NOT_ALLOWED = "not_allowed", _("Not prepared: sharing is closed to you")
    REFUSED = "refused", _("Not prepared: the post could not be planned")


class AutopilotPost(models.Model):
    """What the autopilot did with one published item for one person: the post it queued
    (one row per network, ``target``) or why it queued none (``target`` empty)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="autopilot_posts")
    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="+")
    target = models.OneToOneField(
        ShareTarget, null=True, blank=True, on_delete=models.CASCADE, related_name="autopilot"
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["person", "item"])]

    def __str__(self) -> str:
        return f"autopilot {self.outcome} of item {self.item_id} for {self.person_id}"
