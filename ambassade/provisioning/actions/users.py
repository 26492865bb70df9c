"""SCIM Users: created, replaced (PUT, and PATCH once applied), removed.

People are written through the people actions, so that HR's rules hold: a new position
is announced (``update_person``), a deactivation is the departure (``process_departure``),
a reactivation the reinstatement (``reinstate_person``). Nothing is ever hard-deleted.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.people import actions as people_actions
from ambassade.people.models import Department, EmploymentStatus, Person
from ambassade.provisioning.models import Outcome, RemovedUser
from ambassade.provisioning.scim.errors import ScimError, invalid_value, uniqueness
from ambassade.provisioning.scim.users import UserInput

# The people actions' field names as SCIM attributes, for their refusals.
ATTRIBUTE_OF = {
    "first_name": "name.givenName",
    "last_name": "name.familyName",
    "email": "userName",
    "job_title": "title",
    "external_id": "externalId",
    "employee_number": "employeeNumber",
    "department": "department",
    "name": "department",
    "manager": "manager",
    "employment_status": "active",
}


def scim_error_from(error: ValidationError) -> ScimError:
    if hasattr(error, "error_dict"):
        parts = [
            f"{ATTRIBUTE_OF.get(field, field)}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        ]
        return invalid_value(" ".join(parts))
    return invalid_value(" ".join(error.messages))


def is_removed(person: Person) -> bool:
    return RemovedUser.objects.filter(person=person).exists()


def _owner(actor: Actor, person: Person | None, **lookup: str) -> Person | None:
    others = Person.objects.filter(organisation=actor.organisation, **lookup)
    if person is not None:
        others = others.exclude(pk=person.pk)
    return others.first()


def _department(actor: Actor, name: str) -> int | None:
    if not name:
        return None
    found = Department.objects.filter(organisation=actor.organisation, name__iexact=name).first()
    if found is None:
        found = people_actions.create_department(actor, name)
    return found.pk


def _manager(actor: Actor, person: Person | None, scim_id: str) -> int | None:
    if not scim_id:
        return None
    if not scim_id.isdigit():
        raise invalid_value(f"manager.value: no User with id '{scim_id[:40]}'.")
    manager = Person.objects.filter(
        organisation=actor.organisation, pk=int(scim_id), anonymised_at__isnull=True
    ).first()
    if manager is None or is_removed(manager):
        raise invalid_value(f"manager.value: no User with id '{scim_id}'.")
    if person is not None and manager.pk == person.pk:
        raise invalid_value("manager.value: a person cannot be their own manager.")
    return manager.pk


def _data(actor: Actor, person: Person | None, wanted: UserInput) -> dict[str, object]:
    return {
        "first_name": wanted.first_name,
        "last_name": wanted.last_name,
        "email": wanted.email,
        "job_title": wanted.job_title,
        "external_id": wanted.external_id,
        "employee_number": wanted.employee_number,
        "manager": _manager(actor, person, wanted.manager),
        "department": _department(actor, wanted.department),
    }


def _check_unique(actor: Actor, person: Person | None, wanted: UserInput) -> Person | None:
    """Refuses an address or external id another person of the organisation has. On a
    creation, a person the provider removed earlier is that person back: returned."""
    returning = None
    for attribute, lookup in (
        ("userName", {"email__iexact": wanted.email}),
        ("externalId", {"external_id": wanted.external_id}),
    ):
        if attribute == "externalId" and not wanted.external_id:
            continue
        owner = _owner(actor, person, **lookup)
        if owner is None:
            continue
        if person is None and is_removed(owner) and returning in (None, owner):
            returning = owner
            continue
        raise uniqueness(f"{attribute} is already used by another User of this organisation.")
    return returning


def _set_active(actor: Actor, person: Person, active: bool) -> str:
    left = person.employment_status == EmploymentStatus.LEFT
    if active and left:
        people_actions.reinstate_person(actor, person)
        return Outcome.REACTIVATED
    if not active and not left:
        if people_actions.is_last_admin(person):
            raise invalid_value(
                "active: this person is the organisation's last administrator in Ambassade; "
                "make someone else administrator first."
            )
        people_actions.process_departure(person, actor)
        return Outcome.DEACTIVATED
    return Outcome.CHANGED


@transaction.atomic
def create_user(actor: Actor, wanted: UserInput) -> tuple[Person, str]:
    returning = _check_unique(actor, None, wanted)
    if returning is not None:
        # Deleted by the provider and created again (a rehire): the same person.
        RemovedUser.objects.filter(person=returning).delete()
        audit.record(
            "provisioning.user_restored",
            organisation=actor.organisation,
            actor=actor,
            target=returning,
        )
        person, _outcome = replace_user(actor, returning, wanted)
        return person, Outcome.CREATED
    data = _data(actor, None, wanted)
    data["employment_status"] = EmploymentStatus.ACTIVE if wanted.active else EmploymentStatus.LEFT
    try:
        person = people_actions.create_person(actor, data)
    except ValidationError as error:
        raise scim_error_from(error) from None
    return person, Outcome.CREATED


@transaction.atomic
def replace_user(actor: Actor, person: Person, wanted: UserInput) -> tuple[Person, str]:
    """The person becomes what ``wanted`` says (the caller only calls when it differs)."""
    if person.anonymised_at is not None:
        if wanted.active:
            raise invalid_value(
                "active: this person was anonymised after their departure (retention period "
                "over) and cannot be reactivated; create a new User instead."
            )  # the same words as scim.views.ANONYMISED
        raise invalid_value("This person was anonymised and cannot be changed.")
    _check_unique(actor, person, wanted)
    try:
        person = people_actions.update_person(actor, person, _data(actor, person, wanted))
        outcome = _set_active(actor, person, wanted.active)
    except ValidationError as error:
        raise scim_error_from(error) from None
    person.refresh_from_db()
    return person, outcome


@transaction.atomic
def remove_user(actor: Actor, person: Person) -> None:
    """DELETE: the departure, never a deletion; the person stays (HR's history, figures)
    and SCIM forgets them (404 from now on)."""
    if person.employment_status != EmploymentStatus.LEFT and people_actions.is_last_admin(person):
        raise invalid_value(
            "This person is the organisation's last administrator in Ambassade; "
            "make someone else administrator first."
        )
    people_actions.process_departure(person, actor)
    RemovedUser.objects.get_or_create(person=person, defaults={"organisation": actor.organisation})
    audit.record(
        "provisioning.user_removed", organisation=actor.organisation, actor=actor, target=person
    )
