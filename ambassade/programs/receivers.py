"""Reactions to the people lifecycle and to new organisations."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from ambassade.core.models import Organisation
from ambassade.people.signals import open_ways_in, person_departed, person_position_changed


@receiver(open_ways_in, dispatch_uid="programs.open_ways_in")
def open_program_invitations(sender: Any, person: Any, **_: Any) -> list[str]:
    """An open program invitation's link lets its invitee choose a password."""
    from django.utils import timezone

    from ambassade.programs.models import Invitation

    return list(
        Invitation.objects.filter(
            person=person, status__in=Invitation.OPEN, expires_at__gt=timezone.now()
        ).values_list("program__name", flat=True)
    )


@receiver(person_departed, dispatch_uid="programs.person_departed")
def end_enrolments_of_departed_person(
    sender: Any, person: Any, actor: Any = None, **_: Any
) -> None:
    from ambassade.programs.actions import end_for_departure

    end_for_departure(person, actor)


@receiver(person_position_changed, dispatch_uid="programs.person_position_changed")
def review_enrolments_after_change_of_position(
    sender: Any,
    person: Any,
    actor: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    **_: Any,
) -> None:
    from ambassade.programs.actions import request_reviews

    request_reviews(person, actor, before or {}, after or {})


@receiver(post_save, sender=Organisation, dispatch_uid="programs.default_types")
def give_new_organisations_the_standard_types(
    sender: Any, instance: Organisation, created: bool, raw: bool = False, **_: Any
) -> None:
    if created and not raw:
        from ambassade.programs.actions import ensure_default_types

        ensure_default_types(instance)
