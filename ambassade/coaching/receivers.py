"""Coaching's answers to the people app's questions: the profile step of the first steps."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from ambassade.people.signals import first_steps_asked


@receiver(first_steps_asked, dispatch_uid="coaching.first_steps")
def profile_step(sender: Any, person: Any, **_kw: Any) -> list[Any]:
    """The profile checklist, all ticked on one network, counts as "check your profile"."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from ambassade.coaching.checklist import profile_checked
    from ambassade.core.roles import Role
    from ambassade.people.first_steps import PROFILE_STEP, Step

    if Role.AMBASSADOR not in person.role_set:
        return []
    url = reverse("coaching:checklist")
    return [Step(PROFILE_STEP, _("Check your profile"), url, profile_checked(person))]
