"""The programs' steps of a new organisation's checklist (see core.checklist)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ambassade.core.checklist import checklist_step
from ambassade.core.models import Organisation
from ambassade.people.models import AccountInvitation
from ambassade.programs.models import CharterVersion, Invitation, Program


@checklist_step(10, "charter", _("Write and publish the charter"), "programs:list")
def charter_published(organisation: Organisation) -> bool:
    return CharterVersion.objects.filter(
        program__organisation=organisation, status=CharterVersion.Status.PUBLISHED
    ).exists()


@checklist_step(20, "program", _("Create a program with its objectives"), "programs:list")
def program_with_objectives(organisation: Organisation) -> bool:
    return Program.objects.filter(organisation=organisation).exclude(objectives=[]).exists()


@checklist_step(40, "invitations", _("Invite the first people"), "people:directory")
def people_invited(organisation: Organisation) -> bool:
    # Into a program, or simply to sign in: either way someone besides the admin is asked.
    return (
        Invitation.objects.filter(program__organisation=organisation).exists()
        or AccountInvitation.objects.filter(organisation=organisation).exists()
    )
