"""People, departments and sites: creating and changing them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.core.roles import Role
from ambassade.people.actions._common import (
    _announce_position_change,
    _depart,
    _position,
    _require,
    _same_organisation,
    _snapshot,
)
from ambassade.people.actions.roles import is_last_admin
from ambassade.people.models import (
    HR_ONLY_FIELDS,
    Department,
    EmploymentStatus,
    Membership,
    Person,
    Site,
)

# --- People, departments and sites ------------------------------------------------------

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "job_title",
    "department",
    "site",
    "languages",
    "manager",
    "employment_status",
    "start_date",
    "end_date",
    "external_id",
    "employee_number",
    "membership",
)


@transaction.atomic
def create_department(actor: Actor, name: str) -> Department:
    _require(actor, "people.manage")
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the department a name.")})
    if len(name) > 120:
        raise ValidationError({"name": _("The name is longer than 120 characters.")})
    if Department.objects.filter(organisation=actor.organisation, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a department with this name.")})
    department = Department.objects.create(organisation=actor.organisation, name=name)
    audit.record(
        "department.created",
        organisation=actor.organisation,
        actor=actor,
        target=department,
        after={"name": name},
    )
    return department


@transaction.atomic
def create_site(actor: Actor, name: str, country: str = "") -> Site:
    _require(actor, "people.manage")
    name, country = name.strip(), country.strip().upper()
    if not name:
        raise ValidationError({"name": _("Give the site a name.")})
    if len(name) > 120:
        raise ValidationError({"name": _("The name is longer than 120 characters.")})
    if country and (len(country) != 2 or not country.isalpha()):
        raise ValidationError({"country": _("Use the two-letter ISO code, for example FR.")})
    if Site.objects.filter(organisation=actor.organisation, name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a site with this name.")})
    site = Site.objects.create(organisation=actor.organisation, name=name, country=country)
    audit.record(
        "site.created",
        organisation=actor.organisation,
        actor=actor,
        target=site,
        after={"name": name, "country": country},
    )
    return site


def _rename(actor: Actor, obj: Department | Site, name: str, code: str) -> None:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give it a name.")})
    if len(name) > 120:
        raise ValidationError({"name": _("The name is longer than 120 characters.")})
    model = type(obj)
    taken = model.objects.filter(organisation=actor.organisation, name__iexact=name)
    if taken.exclude(pk=obj.pk).exists():
        raise ValidationError({"name": _("This name is already used in this organisation.")})
    if obj.name == name:
        return
    before = {"name": obj.name}
    obj.name = name
    obj.save(update_fields=["name"])
    audit.record(
        code,
        organisation=actor.organisation,
        actor=actor,
        target=obj,
        before=before,
        after={"name": name},
    )


@transaction.atomic
def rename_department(actor: Actor, department: Department, name: str) -> Department:
    _require(actor, "people.manage")
    if department.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    _rename(actor, department, name, "department.renamed")
    return department


@transaction.atomic
def rename_site(actor: Actor, site: Site, name: str) -> Site:
    _require(actor, "people.manage")
    if site.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    _rename(actor, site, name, "site.renamed")
    return site


def _apply_fields(actor: Actor, person: Person, data: dict[str, Any]) -> None:
    """Validates ``data`` (ids for department, site and manager) and sets it on ``person``.

    Collects every field's error so a form shows them all at once.
    """
    organisation = actor.organisation
    errors: dict[str, str] = {}
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    for name in ("first_name", "last_name", "job_title", "employee_number"):
        if name in data:
            setattr(person, name, (data[name] or "").strip())
    if "external_id" in data:
        person.external_id = (data["external_id"] or "").strip()
        if len(person.external_id) > 255:
            errors["external_id"] = _("The external id is longer than 255 characters.")
        elif person.external_id:
            others = Person.objects.filter(
                organisation=organisation, external_id=person.external_id
            )
            if person.pk:
                others = others.exclude(pk=person.pk)
            if others.exists():
                errors["external_id"] = _("This external id is already used in this organisation.")
    if len(person.employee_number) > 64:
        errors["employee_number"] = _("The employee number is longer than 64 characters.")
    if "email" in data:
        email = (data["email"] or "").strip().lower()
        person.email = email
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
        else:
            taken = Person.objects.filter(organisation=organisation, email__iexact=email)
            if person.pk:
                taken = taken.exclude(pk=person.pk)
            if taken.exists():
                errors["email"] = _("This e-mail address is already used in this organisation.")
    if not person.first_name:
        errors["first_name"] = _("Enter the first name.")
    if not person.last_name:
        errors["last_name"] = _("Enter the last name.")
    for name, model, message in (
        ("department", Department, _("Unknown department.")),
        ("site", Site, _("Unknown site.")),
    ):
        if name in data:
            value = data[name]
            if value in (None, ""):
                setattr(person, name, None)
            else:
                found = model.objects.filter(organisation=organisation, pk=value).first()
                if found is None:
                    errors[name] = message
                else:
                    setattr(person, name, found)
    if "manager" in data:
        value = data["manager"]
        if value in (None, ""):
            person.manager = None
        else:
            manager = Person.objects.filter(
                organisation=organisation, pk=value, anonymised_at__isnull=True
            ).first()
            if manager is None:
                errors["manager"] = _("Unknown manager: choose a person of this organisation.")
            elif person.pk and manager.pk == person.pk:
                errors["manager"] = _("A person cannot be their own manager.")
            else:
                person.manager = manager
    if "languages" in data:
        codes = [str(code).strip().lower() for code in data["languages"] or [] if str(code).strip()]
        offered = {code for code, _name in settings.LANGUAGES}
        bad = sorted(set(codes) - offered)
        if bad:
            errors["languages"] = _(
                "Unknown language codes: %(bad)s. This instance offers: %(offered)s."
            ) % {"bad": ", ".join(bad), "offered": ", ".join(sorted(offered))}
        person.languages = list(dict.fromkeys(codes))
    if "employment_status" in data:
        if data["employment_status"] not in EmploymentStatus.values:
            errors["employment_status"] = _("Choose active, on leave or left.")
        else:
            person.employment_status = data["employment_status"]
    for name in ("start_date", "end_date"):
        if name in data:
            setattr(person, name, data[name] or None)
    if person.start_date and person.end_date and person.end_date < person.start_date:
        errors["end_date"] = _("The end date is before the start date.")
    _check_membership(person, data, errors)
    if errors:
        raise ValidationError(errors)


def _check_membership(person: Person, data: dict[str, Any], errors: dict[str, str]) -> None:
    """A partner has no HR data: no manager, department, site nor employee number, and no
    console role (roles.set_roles refuses them too)."""
    if "membership" in data:
        if data["membership"] not in Membership.values:
            errors["membership"] = _("Choose employee or partner.")
            return
        person.membership = data["membership"]
    if person.membership != Membership.PARTNER:
        return
    for name in HR_ONLY_FIELDS:
        stored = getattr(person, name if name == "employee_number" else f"{name}_id")
        if stored:
            errors[name] = _("A partner has no HR data: remove the %(field)s.") % {
                "field": getattr(Person._meta.get_field(name), "verbose_name", name)
            }
    if person.pk and person.role_assignments.exclude(role=Role.AMBASSADOR).exists():
        errors["membership"] = _("Remove this person's console roles before making them a partner.")


@transaction.atomic
def create_person(actor: Actor, data: dict[str, Any]) -> Person:
    _require(actor, "people.manage")
    person = Person(organisation=actor.organisation)
    _apply_fields(actor, person, {"employment_status": EmploymentStatus.ACTIVE, **data})
    if person.employment_status == EmploymentStatus.LEFT and person.end_date is None:
        person.end_date = timezone.localdate()
    person.save()
    audit.record(
        "person.created",
        organisation=actor.organisation,
        actor=actor,
        target=person,
        after=_snapshot(person),
    )
    return person


@transaction.atomic
def update_person(actor: Actor, person: Person, data: dict[str, Any]) -> Person:
    """Changes a person; a new job title, department, site or manager is announced
    (``person_position_changed``) and moving to "left" runs the departure."""
    _require(actor, "people.manage")
    _same_organisation(actor, person)
    if person.anonymised_at is not None:
        raise ValidationError(_("This person was anonymised and cannot be changed."))
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("department", "site", "manager", "organisation", "user")
        .get(pk=person.pk)
    )
    before = _snapshot(person)
    position_before = _position(person)
    was_left = person.employment_status == EmploymentStatus.LEFT
    before_end_date = person.end_date
    _apply_fields(actor, person, data)
    leaving = person.employment_status == EmploymentStatus.LEFT and not was_left
    if leaving and is_last_admin(person):
        raise ValidationError(
            {
                "employment_status": _(
                    "This is the organisation's last admin: make someone else admin first."
                )
            }
        )
    if leaving and person.end_date is None:
        person.end_date = timezone.localdate()
    if was_left and person.employment_status != EmploymentStatus.LEFT:
        # Back again (rehired, or a mistake corrected): a later departure gets its notice.
        person.departure_notice_sent_at = None
    if person.end_date != before_end_date:
        person.departure_notice_sent_at = None
    person.save()
    after = _snapshot(person)
    changed = {key for key in after if after[key] != before[key]}
    if changed:
        audit.record(
            "person.updated",
            organisation=actor.organisation,
            actor=actor,
            target=person,
            before={key: before[key] for key in sorted(changed)},
            after={key: after[key] for key in sorted(changed)},
        )
    _announce_position_change(actor, person, position_before, before, after)
    if leaving:
        _depart(person, actor)
    return person
