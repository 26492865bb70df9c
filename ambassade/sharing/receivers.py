"""Secrets are deleted when a person departs or leaves a program asking to disconnect;
a new organisation starts with the default sharing settings."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from ambassade.core.signals import organisation_created
from ambassade.people.signals import person_departed
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
