"""Prize draws among the people who chose to enter, weighted by the points they earned
in the draw's period.

The rules and the SHA-256 hash of a secret seed are published before the draw opens;
the seed itself is revealed at the draw, with the winners and every entrant's weight,
so that anyone can recompute the winners (draws.py holds the procedure).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ambassade.core.models import Organisation
from ambassade.people.models import Person


class DrawStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("draw", "Draft")
    PUBLISHED = "published", pgettext_lazy("draw", "Published")
    DRAWN = "drawn", pgettext_lazy("draw", "Drawn")
    CANCELLED = "cancelled", pgettext_lazy("draw", "Cancelled")


class Draw(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    prize = models.TextField(_("prize"), max_length=2000)
    rules = models.TextField(_("rules"), max_length=5000, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    winners = models.PositiveSmallIntegerField(_("winners"), default=1)
    # At most this many points count for one person, so one person can't dominate.
    cap = models.PositiveIntegerField(_("points counted at most"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DrawStatus.choices, default=DrawStatus.DRAFT
    )
    # The hash is published with the rules; the seed is kept secret until the draw.
    seed_hash = models.CharField(max_length=64, blank=True)
    secret = models.CharField(max_length=64, blank=True)
    seed = models.CharField(max_length=64, blank=True)  # revealed at the draw
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("prize draw")
        verbose_name_plural = _("prize draws")
        ordering = ["-closes_on", "-id"]

    def __str__(self) -> str:
        return self.name


class DrawEntry(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("draw entry")
        verbose_name_plural = _("draw entries")
        constraints = [
            models.UniqueConstraint(fields=["draw", "person"], name="draw_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}: {self.person_id}"


class DrawResult(models.Model):
    """One line of the draw's record: every entrant with a weight, winners with a position."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    weight = models.PositiveIntegerField(_("weight"))
    position = models.PositiveSmallIntegerField(_("position"), null=True, blank=True)

    class Meta:
        verbose_name = _("draw result")
        verbose_name_plural = _("draw results")
        ordering = ["position", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "person"], name="draw_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}: {self.person_id} #{self.position}"
