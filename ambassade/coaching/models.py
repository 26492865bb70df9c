"""Who coaches whom: the expert an ambassador turns to, to progress or in a crisis."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person


class CoachAssignment(models.Model):
    """An ambassador's coach. One coach per ambassador; a coach has many ambassadors."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    coach = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="coached", verbose_name=_("coach")
    )
    ambassador = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="coach_assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "ambassador"], name="coaching_one_coach_each"
            ),
            models.CheckConstraint(
                condition=~models.Q(coach=models.F("ambassador")), name="coaching_not_oneself"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "coach"])]

    def __str__(self) -> str:
        return f"coach {self.coach_id} of {self.ambassador_id}"
