"""A new ambassador's first steps, shown on the home page and the feed until all are done.

Nothing is stored: each step is computed from the data (an active enrolment, a connected
account, a share, a saved profile), so a step ticks itself as soon as the person does it.
The apps above people answer the ``first_steps_asked`` signal for what they know; this
module adds the profile step, which people owns, and orders them. An app may answer
that step too (order ``PROFILE_STEP``: coaching's profile checklist): it is then done when
either says so, and leads to the answering app's page.
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


PROFILE_STEP = 30


def first_steps(person: Any) -> list[Step]:
    """The ordered steps, or [] when every step is done (or the person is no ambassador)."""
    answers = first_steps_asked.send(sender=None, person=person)
    answered = [step for _, answer in answers for step in cast(list[Step], answer)]
    steps = [step for step in answered if step.order != PROFILE_STEP]
    if not steps:
        return []
    others = [step for step in answered if step.order == PROFILE_STEP]
    done = any(step.done for step in others) or profile_checked(person)
    url = others[0].url if others else reverse("people:me")
    steps.append(Step(PROFILE_STEP, _("Check your profile"), url, done))
    steps.sort(key=lambda step: step.order)
    return [] if all(step.done for step in steps) else steps
