"""Reactions to the people lifecycle and to new organisations."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from ambassade.core.models import Organisation
from ambassade.people.signals import (
    first_steps_asked,
    landing,
    open_ways_in,
    person_departed,
    person_position_changed,
)


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


@receiver(landing, dispatch_uid="programs.landing")
def invitations_and_programs(sender: Any, person: Any, **_kw: Any) -> list[Any]:
    """The landing page's invitations and programs, and the charters waiting to be read."""
    from django.urls import reverse
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from ambassade.people.landing import Card
    from ambassade.programs.models import Enrolment
    from ambassade.programs.selectors import enrolments_of, open_invitations_of

    cards = []
    for invitation in open_invitations_of(person).order_by("expires_at"):
        url = reverse("programs:invitation", args=[invitation.pk])
        name = invitation.program.name
        until = date_format(invitation.expires_at, "SHORT_DATE_FORMAT")
        cards.append(Card("invitation", name, url, text=_("until %(date)s") % {"date": until}))
        cards.append(
            Card(
                "step",
                _("Read the charter of “%(program)s” and answer") % {"program": name},
                url,
                action=_("Read the charter"),
                text=_("Joining is voluntary; declining has no consequence."),
                order=10,
            )
        )
    for enrolment in enrolments_of(person).exclude(status=Enrolment.Status.ENDED):
        name = enrolment.program.name
        cards.append(
            Card("program", name, reverse("programs:mine"), text=enrolment.get_status_display())
        )
        if enrolment.status == Enrolment.Status.PAUSED:
            cards.append(
                Card(
                    "step",
                    _("Read the new charter of “%(program)s”") % {"program": name},
                    reverse("programs:reaccept", args=[enrolment.pk]),
                    action=_("Read the charter"),
                    text=_("Sharing for this program is paused until you accept it."),
                    order=5,
                )
            )
    return cards


@receiver(first_steps_asked, dispatch_uid="programs.first_steps")
def charter_step(sender: Any, person: Any, **_kw: Any) -> list[Any]:
    """Accepting a program's charter: the first step of anyone invited or enrolled."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from ambassade.people.first_steps import Step
    from ambassade.programs.models import Enrolment
    from ambassade.programs.selectors import enrolments_of, open_invitations_of

    enrolments = list(enrolments_of(person).exclude(status=Enrolment.Status.ENDED))
    invitation = open_invitations_of(person).order_by("expires_at").first()
    if not enrolments and invitation is None:
        return []
    done = any(e.status == Enrolment.Status.ACTIVE for e in enrolments)
    url = reverse("programs:mine")
    paused = [e for e in enrolments if e.status == Enrolment.Status.PAUSED]
    if not done and paused:
        url = reverse("programs:reaccept", args=[paused[0].pk])
    elif not done and invitation is not None:
        url = reverse("programs:invitation", args=[invitation.pk])
    return [Step(10, _("Accept the charter"), url, done)]


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
