"""Secrets are deleted when a person departs or leaves a program asking to disconnect;
a new organisation starts with the default sharing settings."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from ambassade.content.signals import shares_asked
from ambassade.core.signals import organisation_created
from ambassade.people.signals import first_steps_asked, landing, person_departed
from ambassade.programs.signals import enrolment_left


@receiver(person_departed, dispatch_uid="sharing.person_departed")
def forget_accounts_of_departed_person(
    sender: Any, person: Any, actor: Any = None, **_kw: Any
) -> None:
    from ambassade.sharing.actions import forget_person_accounts

    forget_person_accounts(person, actor, _("The person left the organisation."))


@receiver(enrolment_left, dispatch_uid="sharing.enrolment_left")
def forget_accounts_on_leaving(
    sender: Any, enrolment: Any, disconnect_accounts: bool = False, **_kw: Any
) -> None:
    if not disconnect_accounts:
        return
    from ambassade.sharing.actions import forget_person_accounts

    forget_person_accounts(
        enrolment.person, None, _("The person left the program and disconnected.")
    )


@receiver(organisation_created, dispatch_uid="sharing.organisation_created")
def give_new_organisation_sharing_settings(sender: Any, organisation: Any, **_kw: Any) -> None:
    from ambassade.sharing.models import SharingSettings

    SharingSettings.objects.get_or_create(organisation=organisation)


@receiver(landing, dispatch_uid="sharing.landing")
def sharing_steps(sender: Any, person: Any, **_kw: Any) -> list[Any]:
    """Once enrolled: connect a network, then share a first item."""
    from django.urls import reverse

    from ambassade.people.landing import Card
    from ambassade.programs.models import Enrolment
    from ambassade.sharing.models import Share
    from ambassade.sharing.selectors import accounts_of

    if not Enrolment.objects.filter(person=person, status=Enrolment.Status.ACTIVE).exists():
        return []
    if not accounts_of(person).exists():
        return [
            Card(
                "step",
                _("Connect a network"),
                reverse("sharing:accounts"),
                action=_("Connect a network"),
                text=_("Link the account you want to share on; you can disconnect it at any time."),
                order=20,
            )
        ]
    if not Share.objects.filter(person=person).exists():
        return [
            Card(
                "step",
                _("Share a first item"),
                reverse("content:feed"),
                action=_("Open the feed"),
                text=_("Pick an item of the feed and write it in your own words."),
                order=30,
            )
        ]
    return []


@receiver(first_steps_asked, dispatch_uid="sharing.first_steps")
def sharing_first_steps(sender: Any, person: Any, **_kw: Any) -> list[Any]:
    """Connecting a network and a first share, for anyone enrolled in a program."""
    from django.urls import reverse

    from ambassade.people.first_steps import Step
    from ambassade.programs.models import Enrolment
    from ambassade.sharing.selectors import accounts_of, shared_item_ids

    if not Enrolment.objects.filter(person=person).exclude(status=Enrolment.Status.ENDED).exists():
        return []
    return [
        Step(20, _("Connect a network"), reverse("sharing:accounts"), accounts_of(person).exists()),
        Step(40, _("Share a first item"), reverse("content:feed"), bool(shared_item_ids(person))),
    ]


@receiver(shares_asked, dispatch_uid="sharing.shares_asked")
def networks_shared_on(sender: Any, person: Any, **_kw: Any) -> dict[int, list[str]]:
    """The feed says which items the person already shared, and on which networks."""
    from ambassade.sharing.selectors import shared_networks

    return shared_networks(person)
