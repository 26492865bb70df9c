"""Qualitative contributions a person logs (talks, articles, events, training given).

Designated ambassadors and experts mostly contribute this way rather than by sharing;
the contribution report and the influence indicator count them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.programs.models import Program


class Kind(models.TextChoices):
    TALK = "talk", _("Talk")
    ARTICLE = "article", _("Article")
    EVENT = "event", _("Event")
    TRAINING = "training", _("Training given")
    MENTORING = "mentoring", _("Mentoring")
    OTHER = "other", _("Other")


class Contribution(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contributions")
    # Optional: a talk may serve several programs, or none in particular.
    program = models.ForeignKey(
        Program,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("program"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    occurred_on = models.DateField(_("date"))
    url = models.URLField(_("link"), max_length=2048, blank=True)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["person", "occurred_on"], name="contribution_person_day")]

    def __str__(self) -> str:
        return self.title
