"""Departures, alumni, anonymisation, erasure requests and personal data exports."""

from __future__ import annotations

import io
import json
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit, personal_data
from ambassade.core.authz import Actor
from ambassade.core.models import AuditEvent
from ambassade.people import notifications
from ambassade.people.actions._common import _depart, _require, _same_organisation
from ambassade.people.actions.roles import is_last_admin
from ambassade.people.models import EmploymentStatus, Person

# --- Lifecycle: departure, alumni, anonymisation, erasure -------------------------------


@transaction.atomic
def process_departure(person: Person, actor: Actor | None = None) -> None:
    """End date reached (the hourly task) or HR marked the person as left now."""
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=person.pk)
    )
    if person.employment_status == EmploymentStatus.LEFT or person.anonymised_at is not None:
        return
    person.employment_status = EmploymentStatus.LEFT
    if person.end_date is None or person.end_date > timezone.localdate():
        person.end_date = timezone.localdate()
    person.save(update_fields=["employment_status", "end_date"])
    _depart(person, actor)


@transaction.atomic
def reinstate_person(actor: Actor, person: Person) -> Person:
    """A departed person is back (rehired, or a departure recorded by mistake): active
    again, end date cleared, before the retention period anonymised them.

    What the departure ended stays ended: tokens and invitations stay revoked, the
    connected accounts' secrets stay deleted, enrolments stay closed. The roles the person
    held are removed too, so a former admin does not come back as admin without anyone
    deciding it; alumni status ends (they are an employee again).
    """
    _require(actor, "people.manage")
    _same_organisation(actor, person)
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=person.pk)
    )
    if person.anonymised_at is not None:
        raise ValidationError(
            _("This person was anonymised after leaving and cannot come back; create them again.")
        )
    if person.employment_status != EmploymentStatus.LEFT:
        return person
    roles = sorted(person.role_assignments.values_list("role", flat=True))
    person.role_assignments.all().delete()
    before = {
        "employment_status": person.employment_status,
        "end_date": person.end_date.isoformat() if person.end_date else None,
        "roles": roles,
        "alumni": person.alumni,
    }
    person.employment_status = EmploymentStatus.ACTIVE
    person.end_date = None
    person.departure_notice_sent_at = None
    person.alumni = False
    person.alumni_since = None
    person.save(
        update_fields=[
            "employment_status",
            "end_date",
            "departure_notice_sent_at",
            "alumni",
            "alumni_since",
        ]
    )
    person.__dict__.pop("role_set", None)
    audit.record(
        "person.reinstated",
        organisation=actor.organisation,
        actor=actor,
        target=person,
        before=before,
        after={"employment_status": person.employment_status, "end_date": None, "roles": []},
    )
    return person


def mark_left_now(actor: Actor, person: Person) -> None:
    _require(actor, "people.manage")
    _same_organisation(actor, person)
    if is_last_admin(person):
        raise ValidationError(
            _("This is the organisation's last admin: make someone else admin first.")
        )
    process_departure(person, actor)


@transaction.atomic
def send_departure_notice(person: Person) -> None:
    """The data export link and the alumni offer, a few days before the end date."""
    updated = Person.objects.filter(pk=person.pk, departure_notice_sent_at__isnull=True).update(
        departure_notice_sent_at=timezone.now()
    )
    if not updated:
        return  # another worker sent it
    notifications.departure_notice(person)
    audit.record(
        "person.departure_notice_sent",
        organisation=person.organisation,
        actor=None,
        target=person,
        after={"end_date": person.end_date.isoformat() if person.end_date else None},
    )


def alumni_offer_open(person: Person) -> bool:
    return person.anonymised_at is None and (
        person.employment_status == EmploymentStatus.LEFT or person.end_date is not None
    )


@transaction.atomic
def choose_alumni(actor: Actor, wants: bool) -> Person:
    _require(actor, "alumni.choose")
    person = actor.person
    if person is None:
        raise PermissionDenied
    if not alumni_offer_open(person):
        raise ValidationError(_("The alumni offer is for people who are leaving."))
    before = {"alumni": person.alumni}
    stops = person.alumni and not wants and person.employment_status == EmploymentStatus.LEFT
    person.alumni = wants
    person.alumni_since = timezone.now() if wants else None
    person.alumni_answered_at = timezone.now()
    person.save(update_fields=["alumni", "alumni_since", "alumni_answered_at"])
    person.__dict__.pop("role_set", None)
    audit.record(
        "person.alumni_chosen",
        organisation=actor.organisation,
        actor=actor,
        target=person,
        before=before,
        after={"alumni": wants},
    )
    if stops:
        # Their alumni enrolments end and their queued posts go, as when HR closes it.
        from ambassade.people.actions.alumni import announce_alumni_end

        announce_alumni_end(person, "person")
    return person


def anonymised_email(person: Person) -> str:
    return f"former-{person.pk}@anonymised.invalid"


@transaction.atomic
def anonymise_person(actor: Actor | None, person: Person, *, reason: str) -> None:
    """Every app forgets the person, then the person's identifying fields are replaced.

    The row stays, so counts and statistics over past periods do not change.
    """
    if actor is not None:
        _require(actor, "personal_data.manage")
        _same_organisation(actor, person)
        if is_last_admin(person):
            raise ValidationError(
                _("This is the organisation's last admin: make someone else admin first.")
            )
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=person.pk)
    )
    if person.anonymised_at is not None:
        return
    if person.employment_status != EmploymentStatus.LEFT:
        person.employment_status = EmploymentStatus.LEFT
        person.end_date = person.end_date or timezone.localdate()
        person.save(update_fields=["employment_status", "end_date"])
        _depart(person, actor)
    personal_data.anonymise(person)
    user = person.user
    person.first_name = ""
    person.last_name = "Former employee"
    person.email = anonymised_email(person)
    person.job_title = ""
    # The identity provider's id and the employee number point back to the person.
    person.external_id = ""
    person.employee_number = ""
    person.languages = []
    person.manager = None
    person.user = None
    person.alumni = False
    person.alumni_since = None
    person.erasure_requested_at = None
    person.anonymised_at = timezone.now()
    person.save()
    if user is not None and not Person.objects.filter(user=user).exists():
        user.delete()
    # Earlier audit rows named the person in their label: keep the rows, drop the name.
    AuditEvent.objects.filter(
        target_type=person._meta.label_lower, target_id=str(person.pk)
    ).update(target_label=str(person))
    audit.record(
        "person.anonymised",
        organisation=person.organisation,
        actor=actor,
        target=person,
        after={"reason": reason},
    )


@transaction.atomic
def request_erasure(actor: Actor) -> None:
    _require(actor, "personal_data.request_erasure")
    person = actor.person
    if person is None:
        raise PermissionDenied
    if person.erasure_requested_at is not None:
        return
    person.erasure_requested_at = timezone.now()
    person.save(update_fields=["erasure_requested_at"])
    notifications.erasure_requested(person)
    audit.record(
        "person.erasure_requested", organisation=actor.organisation, actor=actor, target=person
    )


def export_personal_data(actor: Actor, person: Person) -> bytes:
    """A ZIP of one JSON file per section (every app's exporter); audited."""
    own = actor.person is not None and actor.person.pk == person.pk
    _require(actor, "personal_data.export_own" if own else "personal_data.manage")
    _same_organisation(actor, person)
    sections = personal_data.collect(person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            _(
                "Personal data of %(name)s at %(organisation)s, exported on %(date)s.\n"
                "One JSON file per part of Ambassade that holds data about you.\n"
            )
            % {
                "name": person.full_name,
                "organisation": person.organisation.name,
                "date": timezone.now().date().isoformat(),
            },
        )
        for section, content in sections.items():
            archive.writestr(
                f"{section}.json",
                json.dumps(content, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder),
            )
    with transaction.atomic():
        audit.record(
            "person.personal_data_exported",
            organisation=actor.organisation,
            actor=actor,
            target=person,
            after={"by": "self" if own else "admin", "sections": sorted(sections)},
        )
    return buffer.getvalue()
