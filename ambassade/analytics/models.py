"""Pre-aggregated daily figures: what every dashboard reads instead of the raw tables.

One row per (organisation, day, program, person, item, network); ``rollup.py`` keeps
them up to date by recomputing whole days, and ``ambassade manage rebuild_analytics``
rebuilds them from the raw data.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.content.models import ContentItem
from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.programs.models import Program


class DailyShareStats(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # SET_NULL: the program's totals survive a person's erasure.
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(
        ContentItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    network = models.CharField(max_length=32, blank=True)
    shares_published = models.PositiveIntegerField(default=0)
    shares_declared = models.PositiveIntegerField(default=0)
    human_clicks = models.PositiveIntegerField(default=0)
    unique_visitors = models.PositiveIntegerField(default=0)
    potential_reach = models.PositiveBigIntegerField(default=0)
    likes = models.PositiveIntegerField(default=0)
    reposts = models.PositiveIntegerField(default=0)
    replies = models.PositiveIntegerField(default=0)
    conversions = models.PositiveIntegerField(default=0)
    applications = models.PositiveIntegerField(default=0)
    conversion_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("daily share figures")
        verbose_name_plural = _("daily share figures")
        indexes = [
            models.Index(fields=["organisation", "program", "day"], name="dss_program_day"),
            models.Index(fields=["person", "day"], name="dss_person_day"),
            models.Index(fields=["day"], name="dss_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.program_id} {self.person_id} {self.item_id} {self.network}"


class RollupState(models.Model):
    """Where the incremental rollup stopped: one row, locked while a run recomputes."""

    name = models.CharField(max_length=40, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_click_id = models.BigIntegerField(default=0)
    last_conversion_id = models.BigIntegerField(default=0)
    last_target_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
