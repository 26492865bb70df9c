"""Console roles, and the rule that an organisation always keeps an admin."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.core.roles import Role
from ambassade.people.actions._common import _require, _same_organisation
from ambassade.people.models import EmploymentStatus, Membership, Person, RoleAssignment

ASSIGNABLE_ROLES = [role for role in Role if role != Role.AMBASSADOR]


def is_last_admin(person: Person) -> bool:
    admins = Person.objects.filter(
        organisation_id=person.organisation_id,
        role_assignments__role=Role.ADMIN,
        anonymised_at__isnull=True,
    ).exclude(employment_status=EmploymentStatus.LEFT)
    return list(admins.values_list("pk", flat=True)[:2]) == [person.pk]


@transaction.atomic
def set_roles(actor: Actor, person: Person, roles: list[str]) -> None:
    """Sets the person's console roles; ``ambassador`` stays as enrolment left it."""
    _require(actor, "roles.manage")
    _same_organisation(actor, person)
    wanted = set(roles)
    if Role.AMBASSADOR in wanted:
        raise ValidationError(
            {"roles": _("The ambassador role comes only from enrolling in a program.")}
        )
    unknown = sorted(wanted - set(ASSIGNABLE_ROLES))
    if unknown:
        raise ValidationError({"roles": _("Unknown roles: %s") % ", ".join(unknown)})
    if person.anonymised_at is not None or person.employment_status == EmploymentStatus.LEFT:
        raise ValidationError({"roles": _("A person who has left cannot hold roles.")})
    if wanted and person.membership == Membership.PARTNER:
        raise ValidationError({"roles": _("A partner never holds a console role.")})
    # Lock the admins' rows so two admins cannot remove each other at the same moment.
    list(
        RoleAssignment.objects.select_for_update()
        .filter(person__organisation=actor.organisation, role=Role.ADMIN)
        .values_list("pk", flat=True)
    )
    current = set(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))
    kept_ambassador = current & {Role.AMBASSADOR}
    if Role.ADMIN in current and Role.ADMIN not in wanted and is_last_admin(person):
        raise ValidationError(
            {
                "roles": _(
                    "%(name)s is the organisation's last admin: make someone else admin "
                    "before removing this role."
                )
                % {"name": person.full_name}
            }
        )
    removed = current - wanted - kept_ambassador
    added = wanted - current
    if not removed and not added:
        return
    RoleAssignment.objects.filter(person=person, role__in=removed).delete()
    RoleAssignment.objects.bulk_create([RoleAssignment(person=person, role=r) for r in added])
    audit.record(
        "person.roles_changed",
        organisation=actor.organisation,
        actor=actor,
        target=person,
        before={"roles": sorted(current)},
        after={"roles": sorted((current - removed) | added)},
    )
    person.__dict__.pop("role_set", None)


def add_role(actor: Actor, person: Person, role: str) -> None:
    current = set(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))
    set_roles(actor, person, sorted((current - {Role.AMBASSADOR}) | {role}))


def remove_role(actor: Actor, person: Person, role: str) -> None:
    current = set(RoleAssignment.objects.filter(person=person).values_list("role", flat=True))
    set_roles(actor, person, sorted(current - {Role.AMBASSADOR, role}))
