"""Every change to people data goes through these functions: one transaction, one audit row."""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.accounts.models import User
from ambassade.core import audit, personal_data
from ambassade.core.authz import RULES, Actor, actor_for_person, allowed
from ambassade.core.models import AuditEvent
from ambassade.core.roles import Role
from ambassade.people import imports, notifications, signals
from ambassade.people.models import (
    AccountInvitation,
    ApiToken,
    Department,
    EmploymentStatus,
    HrNote,
    ImportStatus,
    PeopleImport,
    Person,
    RoleAssignment,
    SelfAssessment,
    Site,
    hash_token,
)


@transaction.atomic
def create_api_token(
    actor: Actor,
    *,
    name: str,
    scopes: list[str],
    organisation_wide: bool = False,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Returns the token and its secret; the secret is shown once and never stored."""
    permission = "tokens.manage_organisation" if organisation_wide else "tokens.manage_own"
    if not allowed(actor, permission) or actor.person is None:
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if len(name) > 100:
        raise ValidationError({"name": _("The name is longer than 100 characters.")})
    unknown = sorted(set(scopes) - ApiToken.valid_scopes())
    if unknown:
        raise ValidationError({"scopes": _("Unknown scopes: %s") % ", ".join(unknown)})
    if not scopes:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date is in the past.")})
    if actor.scopes is not None and not set(scopes) <= actor.scopes:
        # A token cannot mint a token more powerful than itself.
        raise ValidationError({"scopes": _("A token can only grant scopes it holds itself.")})
    secret = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=actor.organisation,
        person=None if organisation_wide else actor.person,
        created_by=actor.person,
        name=name,
        prefix=secret[:10],
        secret_hash=hash_token(secret),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    audit.record(
        "api_token.created",
        organisation=actor.organisation,
        actor=actor,
        target=token,
        after={"name": token.name, "scopes": token.scopes, "organisation_wide": organisation_wide},
    )
    return token, secret


@transaction.atomic
def revoke_api_token(actor: Actor, token: ApiToken) -> None:
    own = (
        token.person_id is not None
        and actor.person is not None
        and token.person_id == actor.person.pk
    )
    permission = "tokens.manage_own" if own else "tokens.manage_organisation"
    if token.organisation_id != actor.organisation.pk or not allowed(actor, permission):
        raise PermissionDenied
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record("api_token.revoked", organisation=actor.organisation, actor=actor, target=token)


@transaction.atomic
def update_preferences(actor: Actor, user: User, *, language: str, time_zone: str) -> None:
    before = {"language": user.language, "time_zone": user.time_zone}
    user.language = language
    user.time_zone = time_zone
    user.full_clean(validate_unique=False)
    user.save(update_fields=["language", "time_zone"])
    audit.record(
        "profile.preferences_changed",
        organisation=actor.organisation,
        actor=actor,
        target=user,
        before=before,
        after={"language": language, "time_zone": time_zone},
    )


# --- People, departments and sites ------------------------------------------------------

ASSIGNABLE_ROLES = [role for role in Role if role != Role.AMBASSADOR]
POSITION_FIELDS = ("job_title", "department", "site", "manager")
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
)


def _require(actor: Actor | None, permission: str) -> Actor:
    if actor is None or not allowed(actor, permission):
        raise PermissionDenied
    return actor


def _same_organisation(actor: Actor, obj: Person) -> None:
    if obj.organisation_id != actor.organisation.pk:
        raise PermissionDenied


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


def _snapshot(person: Person) -> dict[str, Any]:
    """The person's fields as JSON-friendly values, for audit rows and change detection."""
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "job_title": person.job_title,
        "department": person.department.name if person.department else None,
        "site": person.site.name if person.site else None,
        "languages": list(person.languages),
        "manager": person.manager.full_name if person.manager else None,
        "employment_status": person.employment_status,
        "start_date": person.start_date.isoformat() if person.start_date else None,
        "end_date": person.end_date.isoformat() if person.end_date else None,
    }


def _position(person: Person) -> dict[str, Any]:
    """What makes a position, by identity (two managers may share a name)."""
    return {
        "job_title": person.job_title,
        "department": person.department_id,
        "site": person.site_id,
        "manager": person.manager_id,
    }


def _announce_position_change(
    actor: Actor,
    person: Person,
    position_before: dict[str, Any],
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    position_after = _position(person)
    moved = [name for name in POSITION_FIELDS if position_before[name] != position_after[name]]
    if not moved:
        return
    old = {name: before[name] for name in moved}
    new = {name: after[name] for name in moved}
    signals.person_position_changed.send(
        sender=Person, person=person, actor=actor, before=old, after=new
    )
    notifications.position_changed(person, old, new, actor.person)


def _apply_fields(actor: Actor, person: Person, data: dict[str, Any]) -> None:
    """Validates ``data`` (ids for department, site and manager) and sets it on ``person``.

    Collects every field's error so a form shows them all at once.
    """
    organisation = actor.organisation
    errors: dict[str, str] = {}
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    for name in ("first_name", "last_name", "job_title"):
        if name in data:
            setattr(person, name, (data[name] or "").strip())
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
    if errors:
        raise ValidationError(errors)


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


def is_last_admin(person: Person) -> bool:
    admins = Person.objects.filter(
        organisation_id=person.organisation_id,
        role_assignments__role=Role.ADMIN,
        anonymised_at__isnull=True,
    ).exclude(employment_status=EmploymentStatus.LEFT)
    return list(admins.values_list("pk", flat=True)[:2]) == [person.pk]


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


# --- Account invitations ----------------------------------------------------------------


def _create_account_invitation(actor: Actor, person: Person) -> AccountInvitation:
    if person.user_id is not None:
        raise ValidationError(_("%s can already sign in.") % person.full_name)
    if person.anonymised_at is not None or person.employment_status == EmploymentStatus.LEFT:
        raise ValidationError(_("A person who has left cannot be invited to sign in."))
    now = timezone.now()
    AccountInvitation.objects.filter(
        person=person, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    secret = secrets.token_urlsafe(32)
    invitation = AccountInvitation.objects.create(
        organisation=actor.organisation,
        person=person,
        created_by=actor.person,
        token_hash=AccountInvitation.hash(secret),
        expires_at=now + timedelta(days=AccountInvitation.VALIDITY_DAYS),
    )
    notifications.account_invitation(person, notifications.absolute("people:welcome", secret))
    audit.record(
        "person.invited_to_sign_in",
        organisation=actor.organisation,
        actor=actor,
        target=person,
        after={"expires_at": invitation.expires_at.isoformat()},
    )
    return invitation


@transaction.atomic
def invite_to_sign_in(actor: Actor, person: Person) -> AccountInvitation:
    """A new one-time link by e-mail; earlier links of the person stop working."""
    _require(actor, "people.manage")
    _same_organisation(actor, person)
    return _create_account_invitation(actor, person)


def _may_invite_for_programs(actor: Actor, person: Person) -> bool:
    if allowed(actor, "people.manage"):
        return True
    # The programs app's permissions, when it is installed: HR-like invitation managers,
    # and managers inviting their own direct reports.
    if "invitations.manage" in RULES and allowed(actor, "invitations.manage"):
        return True
    return (
        "invitations.invite_reports" in RULES
        and allowed(actor, "invitations.invite_reports")
        and actor.person is not None
        and person.manager_id == actor.person.pk
    )


@transaction.atomic
def ensure_account_invitation(actor: Actor, person: Person) -> AccountInvitation | None:
    """For other apps (program invitations): make sure the person can come and sign in.

    Returns None when the person already has an account, the pending invitation when
    one is still valid (no second e-mail), otherwise a new invitation sent by e-mail.
    """
    _same_organisation(actor, person)
    if not _may_invite_for_programs(actor, person):
        raise PermissionDenied
    if person.user_id is not None:
        return None
    pending = (
        AccountInvitation.objects.filter(
            person=person,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        return pending
    return _create_account_invitation(actor, person)


def invitation_for(secret: str) -> AccountInvitation | None:
    return (
        AccountInvitation.objects.select_related("person", "person__organisation", "organisation")
        .filter(token_hash=AccountInvitation.hash(secret), revoked_at__isnull=True)
        .first()
    )


@transaction.atomic
def accept_account_invitation(invitation: AccountInvitation, password: str) -> User:
    """Creates the account (or links an existing one with the same e-mail) and uses up
    the link. The password was validated by the form."""
    invitation = AccountInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise ValidationError(_("This link was already used."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This link has expired. Ask HR for a new one."))
    person = invitation.person
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create_user(person.email, password, display_name=person.full_name)
    if Person.objects.filter(organisation=person.organisation, user=user).exists():
        raise ValidationError(_("This account is already a member of the organisation."))
    person.user = user
    person.save(update_fields=["user"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit.record(
        "person.account_activated",
        organisation=person.organisation,
        actor=actor_for_person(person),
        target=person,
    )
    return user


# --- Candidates: self-assessment and HR notes -------------------------------------------


@transaction.atomic
def save_self_assessment(actor: Actor, answers: dict[str, Any]) -> SelfAssessment:
    _require(actor, "self_assessment.fill")
    if actor.person is None:
        raise PermissionDenied
    errors: dict[str, str] = {}
    for name in ("social_comfort", "motivation", "willingness_to_learn"):
        value = answers.get(name)
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[name] = _("Choose a value from 1 to 5.")
    networks = list(dict.fromkeys(answers.get("networks") or []))
    known = {code for code, _label in SelfAssessment.NETWORKS}
    if set(networks) - known:
        errors["networks"] = _("Unknown networks: %s") % ", ".join(sorted(set(networks) - known))
    comment = (answers.get("comment") or "").strip()
    if len(comment) > 2000:
        errors["comment"] = _("The comment is longer than 2,000 characters.")
    if errors:
        raise ValidationError(errors)
    assessment, created = SelfAssessment.objects.update_or_create(
        person=actor.person,
        defaults={
            "social_comfort": answers["social_comfort"],
            "motivation": answers["motivation"],
            "willingness_to_learn": answers["willingness_to_learn"],
            "networks": networks,
            "comment": comment,
        },
    )
    # The answers themselves stay out of the audit log, which admins read.
    audit.record(
        "self_assessment.saved",
        organisation=actor.organisation,
        actor=actor,
        target=actor.person,
        after={"created": created},
    )
    return assessment


@transaction.atomic
def withdraw_self_assessment(actor: Actor) -> None:
    _require(actor, "self_assessment.fill")
    deleted, _ = SelfAssessment.objects.filter(person=actor.person).delete()
    if deleted:
        audit.record(
            "self_assessment.withdrawn",
            organisation=actor.organisation,
            actor=actor,
            target=actor.person,
        )


@transaction.atomic
def add_hr_note(actor: Actor, person: Person, text: str) -> HrNote:
    _require(actor, "hr.notes")
    _same_organisation(actor, person)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > 5000:
        raise ValidationError({"text": _("The note is longer than 5,000 characters.")})
    note = HrNote.objects.create(
        person=person,
        author=actor.person,
        author_label=actor.label,
        text=text,
    )
    # Admins read the audit log without being HR: record that a note exists, not its text.
    audit.record("hr_note.added", organisation=actor.organisation, actor=actor, target=person)
    return note


# --- Lifecycle: departure, alumni, anonymisation, erasure -------------------------------


def _depart(person: Person, actor: Actor | None) -> None:
    """What leaving means everywhere: signal other apps, revoke tokens, audit."""
    now = timezone.now()
    revoked = ApiToken.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
    AccountInvitation.objects.filter(
        person=person, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    person.__dict__.pop("role_set", None)
    signals.person_departed.send(sender=Person, person=person, actor=actor)
    audit.record(
        "person.departed",
        organisation=person.organisation,
        actor=actor,
        target=person,
        after={
            "end_date": person.end_date.isoformat() if person.end_date else None,
            "tokens_revoked": revoked,
            "alumni": person.alumni,
        },
    )


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


# --- CSV import -------------------------------------------------------------------------


@transaction.atomic
def preview_import(actor: Actor, *, filename: str, content: bytes) -> PeopleImport:
    """Parses and plans the file; raises ValidationError({"file": ...}) when unreadable."""
    _require(actor, "people.import")
    try:
        rows = imports.parse(content)
    except imports.ImportFileError as error:
        raise ValidationError({"file": str(error)}) from error
    if not rows:
        raise ValidationError({"file": _("The file has a header but no people.")})
    planned = imports.plan(actor.organisation, rows)
    counts = imports.summary(planned)
    people_import = PeopleImport.objects.create(
        organisation=actor.organisation,
        created_by=actor.person,
        created_by_label=actor.label,
        filename=filename[:200],
        rows=rows,
        plan=[row.as_json() for row in planned],
        created=counts["create"],
        updated=counts["update"],
        unchanged=counts["unchanged"],
        invalid=counts["error"],
    )
    audit.record(
        "people_import.previewed",
        organisation=actor.organisation,
        actor=actor,
        target=people_import,
        after=counts,
    )
    return people_import


@transaction.atomic
def apply_import(actor: Actor, people_import: PeopleImport, *, only_valid: bool) -> dict[str, int]:
    """Applies a preview in one transaction. The plan is computed again, so changes made
    since the preview are taken into account; with errors and without ``only_valid``
    nothing is written."""
    _require(actor, "people.import")
    people_import = PeopleImport.objects.select_for_update().get(pk=people_import.pk)
    if people_import.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    if people_import.status != ImportStatus.PREVIEW:
        raise ValidationError(_("This import was already applied or discarded."))
    planned = imports.plan(actor.organisation, people_import.rows)
    counts = imports.summary(planned)
    if counts["error"] and not only_valid:
        raise ValidationError(
            _(
                "%(count)d lines have errors: nothing was imported. Correct the file, or "
                "choose to import only the valid lines."
            )
            % {"count": counts["error"]}
        )
    valid = [row for row in planned if row.action in {"create", "update"}]
    _write_import(actor, valid)
    people_import.status = ImportStatus.APPLIED
    people_import.only_valid = only_valid
    people_import.applied_at = timezone.now()
    people_import.created = counts["create"]
    people_import.updated = counts["update"]
    people_import.unchanged = counts["unchanged"]
    people_import.invalid = counts["error"]
    # The rows held personal data only for the preview; keep the line numbers and reasons.
    people_import.rows = []
    people_import.plan = [
        {"line": row.line, "action": row.action, "errors": row.errors}
        for row in planned
        if row.errors
    ]
    people_import.save()
    audit.record(
        "people_import.applied",
        organisation=actor.organisation,
        actor=actor,
        target=people_import,
        after={**counts, "only_valid": only_valid},
    )
    return counts


def _write_import(actor: Actor, rows: list[imports.PlannedRow]) -> None:
    """Creates in bulk, updates changed people, then links managers (who may be new)."""
    organisation = actor.organisation
    lookups = imports.Lookups.load(organisation)
    departments = {d.name: d for d in lookups.departments.values()}
    sites = {s.name: s for s in lookups.sites.values()}

    def assign(person: Person, values: dict[str, Any]) -> None:
        for name in ("first_name", "last_name", "job_title", "languages", "employment_status"):
            if name in values:
                setattr(person, name, values[name])
        if "department" in values:
            person.department = departments.get(values["department"] or "")
        if "site" in values:
            person.site = sites.get(values["site"] or "")
        for name in ("start_date", "end_date"):
            if name in values:
                setattr(person, name, date.fromisoformat(values[name]) if values[name] else None)
        if person.employment_status == EmploymentStatus.LEFT and person.end_date is None:
            person.end_date = timezone.localdate()

    new_people = []
    for row in rows:
        if row.action == "create":
            person = Person(organisation=organisation, email=row.email)
            assign(person, row.values)
            new_people.append(person)
    Person.objects.bulk_create(new_people, batch_size=1000)
    by_email = {p.email.lower(): p for p in Person.objects.filter(organisation=organisation)}
    for row in rows:
        if row.action != "update":
            continue
        person = lookups.people[row.email]
        before = _snapshot(person)
        position_before = _position(person)
        was_left = person.employment_status == EmploymentStatus.LEFT
        assign(person, row.values)
        if "manager" in row.values:
            person.manager = by_email.get(row.values["manager"] or "")
        person.save()
        after = _snapshot(person)
        changed = sorted(key for key in after if after[key] != before[key])
        audit.record(
            "person.updated",
            organisation=organisation,
            actor=actor,
            target=person,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
        _announce_position_change(actor, person, position_before, before, after)
        if not was_left and person.employment_status == EmploymentStatus.LEFT:
            _depart(person, actor)
    managed = []
    for row in rows:
        if row.action == "create" and row.values.get("manager"):
            person = by_email[row.email]
            person.manager = by_email.get(row.values["manager"])
            managed.append(person)
    Person.objects.bulk_update(managed, ["manager"], batch_size=1000)


@transaction.atomic
def discard_import(actor: Actor, people_import: PeopleImport) -> None:
    _require(actor, "people.import")
    if people_import.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    if people_import.status != ImportStatus.PREVIEW:
        return
    people_import.status = ImportStatus.DISCARDED
    people_import.rows = []
    people_import.plan = []
    people_import.save(update_fields=["status", "rows", "plan"])
    audit.record(
        "people_import.discarded",
        organisation=actor.organisation,
        actor=actor,
        target=people_import,
    )
