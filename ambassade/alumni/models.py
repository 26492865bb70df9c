"""The alumni directory: opt-in, for events and reunions (docs/decisions/0039).

An alumni ambassador chooses to appear, with the year they left (from their end date)
and, if they wish, the role they hold now, typed by themselves. Other listed alumni,
HR and internal communications read it; nobody else.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person


class DirectoryEntry(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="alumni_entries"
    )
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="alumni_entry")
    listed = models.BooleanField(_("appear in the alumni directory"), default=False)
    current_role = models.CharField(
        _("what I do now"),
        max_length=150,
        blank=True,
        help_text=_("Optional, in your own words (for example: Product manager at Nordlys)."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alumni directory entry")
        verbose_name_plural = _("alumni directory entries")
        ordering = ["person__last_name", "person__first_name", "id"]
        indexes = [models.Index(fields=["organisation", "listed"], name="alumni_entry_listed")]

    def __str__(self) -> str:
        return self.person.full_name

    @property
    def year_left(self) -> int | None:
        end = self.person.end_date
        return end.year if end is not None else None
