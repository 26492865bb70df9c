"""Campaigns, challenges and the program calendar's subscription feeds.

A campaign groups a program's content items over a few days, with the people who should
relay them (departments; none: everyone enrolled) and its goals (human clicks, and
optionally conversions). A challenge belongs to a program, alone or inside a campaign: a
target of human clicks or shares, collective (everyone's together, the default) or
individual (each person's own), and the points it gives to those who complete it.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.content.models import ContentItem
from ambassade.people.models import Department, Person
from ambassade.programs.models import Program


class ChallengeMetric(models.TextChoices):
    HUMAN_CLICKS = "human_clicks", _("Human clicks")
    SHARES = "shares", _("Shares")


class ChallengeScope(models.TextChoices):
    COLLECTIVE = "collective", _("Collective: everyone's together")
    INDIVIDUAL = "individual", _("Individual: each person's own")


class Campaign(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    items = models.ManyToManyField(
        ContentItem, blank=True, related_name="+", verbose_name=_("content items")
    )
    target_departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("departments")
    )
    goal_human_clicks = models.PositiveIntegerField(_("goal of human clicks"))
    goal_conversions = models.PositiveIntegerField(_("goal of conversions"), null=True, blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class Challenge(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="challenges",
        verbose_name=_("campaign"),
    )
    name = models.CharField(_("name"), max_length=200)
    metric = models.CharField(
        _("what counts"),
        max_length=16,
        choices=ChallengeMetric.choices,
        default=ChallengeMetric.HUMAN_CLICKS,
    )
    scope = models.CharField(
        _("goal"), max_length=16, choices=ChallengeScope.choices, default=ChallengeScope.COLLECTIVE
    )
    target = models.PositiveIntegerField(_("target"), validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    eligible_departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("departments")
    )
    points = models.PositiveIntegerField(_("points"), default=0)
    archived = models.BooleanField(_("archived"), default=False)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class ChallengeCompletion(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="completions")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "person"], name="challenge_done_once"),
        ]

    def __str__(self) -> str:
        return f"{self.challenge_id} {self.person_id}"


class CalendarFeed(models.Model):
    """A secret address of a program's calendar: only the token's SHA-256 is kept, so the
    address is shown once, at creation; revoking it makes it answer 404."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"calendar feed {self.pk} of program {self.program_id}"
