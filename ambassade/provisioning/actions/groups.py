"""SCIM Groups: the organisation's departments, or its sites (the admin's choice).

A group's members are the people of that department or site: adding a member moves the
person there (``update_person``, so the position change is announced), removing one
leaves them without a department or site. Deleting a group only unmaps it: the
department or site stays with its people, since they still work somewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.people import actions as people_actions
from ambassade.people.models import Department, Person, Site
from ambassade.provisioning.actions.users import is_removed, scim_error_from
from ambassade.provisioning.models import GroupMapping, RemovedUser, ScimGroup
from ambassade.provisioning.scim.errors import invalid_value, uniqueness

Place = Department | Site


@dataclass
class GroupInput:
    display_name: str
    external_id: str
    members: list[str]  # SCIM User ids


def model_of(kind: str) -> type[Department] | type[Site]:
    return Department if kind == GroupMapping.DEPARTMENTS else Site


def field_of(kind: str) -> str:
    return "department" if kind == GroupMapping.DEPARTMENTS else "site"


def link_of(actor: Actor, kind: str, place: Place) -> ScimGroup:
    found, _created = ScimGroup.objects.get_or_create(
        organisation=actor.organisation, kind=kind, object_id=place.pk
    )
    return found


def members_of(kind: str, place: Place) -> list[Person]:
    removed = RemovedUser.objects.filter(organisation_id=place.organisation_id).values("person")
    return list(
        Person.objects.filter(**{field_of(kind): place}, anonymised_at__isnull=True)
        .exclude(pk__in=removed)
        .order_by("pk")
    )


def _people(actor: Actor, ids: list[str]) -> list[Person]:
    found = []
    for scim_id in dict.fromkeys(ids):
        person = None
        if scim_id.isdigit():
            person = Person.objects.filter(
                organisation=actor.organisation, pk=int(scim_id), anonymised_at__isnull=True
            ).first()
        if person is None or is_removed(person):
            raise invalid_value(f"members: no User with id '{scim_id[:40]}'.")
        found.append(person)
    return found


def _set_members(actor: Actor, kind: str, place: Place, ids: list[str]) -> None:
    field = field_of(kind)
    wanted = _people(actor, ids)
    wanted_ids = {person.pk for person in wanted}
    try:
        for person in members_of(kind, place):
            if person.pk not in wanted_ids:
                people_actions.update_person(actor, person, {field: None})
        for person in wanted:
            if getattr(person, f"{field}_id") != place.pk:
                people_actions.update_person(actor, person, {field: place.pk})
    except ValidationError as error:
        raise scim_error_from(error) from None


def _name_taken(actor: Actor, kind: str, name: str, place: Place | None) -> Place | None:
    others = model_of(kind).objects.filter(organisation=actor.organisation, name__iexact=name)
    if place is not None:
        others = others.exclude(pk=place.pk)
    return others.first()


@transaction.atomic
def create_group(actor: Actor, kind: str, wanted: GroupInput) -> Place:
    existing = _name_taken(actor, kind, wanted.display_name, None)
    if existing is not None:
        link = link_of(actor, kind, existing)
        if link.unmapped_at is None:
            raise uniqueness("displayName is already used by another Group of this organisation.")
        # Deleted by the provider earlier, and created again: mapped again.
        link.unmapped_at = None
        link.save(update_fields=["unmapped_at"])
        place: Place = existing
    else:
        try:
            if kind == GroupMapping.DEPARTMENTS:
                place = people_actions.create_department(actor, wanted.display_name)
            else:
                place = people_actions.create_site(actor, wanted.display_name)
        except ValidationError as error:
            raise scim_error_from(error) from None
        link = link_of(actor, kind, place)
    link.external_id = wanted.external_id
    link.save(update_fields=["external_id"])
    _set_members(actor, kind, place, wanted.members)
    return place


@transaction.atomic
def replace_group(actor: Actor, kind: str, place: Place, wanted: GroupInput) -> Place:
    if _name_taken(actor, kind, wanted.display_name, place) is not None:
        raise uniqueness("displayName is already used by another Group of this organisation.")
    try:
        if kind == GroupMapping.DEPARTMENTS:
            people_actions.rename_department(actor, place, wanted.display_name)  # type: ignore[arg-type]
        else:
            people_actions.rename_site(actor, place, wanted.display_name)  # type: ignore[arg-type]
    except ValidationError as error:
        raise scim_error_from(error) from None
    link = link_of(actor, kind, place)
    if link.external_id != wanted.external_id:
        link.external_id = wanted.external_id
        link.save(update_fields=["external_id"])
    _set_members(actor, kind, place, wanted.members)
    place.refresh_from_db()
    return place


@transaction.atomic
def unmap_group(actor: Actor, kind: str, place: Place) -> None:
    link = link_of(actor, kind, place)
    link.unmapped_at = timezone.now()
    link.save(update_fields=["unmapped_at"])
    audit.record(
        "provisioning.group_unmapped",
        organisation=actor.organisation,
        actor=actor,
        target=place,
        after={"groups_are": kind},
    )
