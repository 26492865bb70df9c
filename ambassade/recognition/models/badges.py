"""Badges: milestones the organisation names and illustrates itself, and who earned them.

A badge says what earns it (a criterion from a fixed list, with a threshold) and the
organisation writes its name, description and image. A person earns a badge once; a
retired badge is no longer awarded, but those who earned it keep it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person


class Criterion(models.TextChoices):
    """What earns a badge; the threshold says how many times."""

    FIRST_PERSONAL_SHARE = "first_personal_share", _("Shares with a personal message")
    SHARES_IN_90_DAYS = "shares_in_90_days", _("Shares in the last 90 days")
    FIRST_CONVERSION = "first_conversion", _("Conversions from my links")
    PATH_COMPLETED = "path_completed", _("Every required training module passed")
    CHALLENGE_COMPLETED = "challenge_completed", _("Challenges completed")


class Badge(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    criterion = models.CharField(_("earned by"), max_length=24, choices=Criterion.choices)
    # How many times the criterion must be met (10 shares in 90 days; 1 for a first).
    threshold = models.PositiveSmallIntegerField(_("how many times"), default=1)
    # A path in the default storage, re-encoded without metadata (content/images.py).
    image = models.CharField(_("image"), max_length=300, blank=True)
    active = models.BooleanField(_("awarded"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["criterion", "threshold", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="badge_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class BadgeAward(models.Model):
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="badge_awards")
    awarded_at = models.DateTimeField(_("earned on"), default=timezone.now)

    class Meta:
        verbose_name = _("badge earned")
        verbose_name_plural = _("badges earned")
        ordering = ["-awarded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["badge", "person"], name="badge_award_once"),
        ]

    def __str__(self) -> str:
        return f"{self.badge_id} to {self.person_id}"
