"""A new ambassador's first steps, shown on the home page and the feed until all are done.

Nothing is stored: each step is computed from the data (an active enrolment, a connected
account, a share, a saved profile), so a step ticks itself as soon as the person does it.
The apps above people answer the ``first_steps_asked`` signal for what they know; this
module adds the profile step, which people owns, and orders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.urls import reverse
from django.utils.translation import gettext as _

from ambassade.core.models import AuditEvent
from ambassade.people.signals import first_steps_asked


@dataclass(frozen=True)
class Step:
    order: int
    label: str
    url: str
    done: bool


def profile_checked(person: Any) -> bool:
    """The person saved their preferences (language, time zone) on the Me page once."""
    if person.user_id is None:
        return False
    return AuditEvent.objects.filter(
        organisation_id=person.organisation_id,
        action="profile.preferences_changed",
        target_type="accounts.user",
        target_id=str(person.user_id),
    ).exists()


def first_steps(person: Any) -> list[Step]:
    """The ordered steps, or [] when every step is done (or the person is no ambassador)."""
    answers = first_steps_asked.send(sender=None, person=person)
    steps = [step for _, answer in answers for step in cast(list[Step], answer)]
    if not steps:
        return []
    steps.append(Step(30, _("Check your profile"), reverse("people:me"), profile_checked(person)))
    steps.sort(key=lambda step: step.order)
    return [] if all(step.done for step in steps) else steps
