"""Creating an organisation with its first admin, and the operator's suspension switch.

An organisation and its first admin span core (the organisation), accounts (the
sign-in account) and people (the person with the admin role), so the action lives
here, the lowest app that sees all three. Higher apps add their defaults by
receiving ``core.signals.organisation_created`` inside the same transaction.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ambassade.accounts.models import User
from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.core.models import AuditEvent, Organisation
from ambassade.core.roles import Role
from ambassade.core.signals import organisation_created
from ambassade.people.models import Person, RoleAssignment


@dataclass(frozen=True)
class NewOrganisation:
    organisation: Organisation
    admin: Person
    account_created: bool


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def clean_languages(languages: list[str] | str) -> list[str]:
    if isinstance(languages, str):
        languages = languages.split(",")
    codes = list(dict.fromkeys(code.strip().lower() for code in languages if code.strip()))
    if not codes:
        raise ValidationError({"languages": _("Choose at least one language.")})
    unknown = [code for code in codes if code not in language_codes()]
    if unknown:
        raise ValidationError(
            {
                "languages": _("Unknown languages: %(unknown)s. Available: %(available)s.")
                % {"unknown": ", ".join(unknown), "available": ", ".join(language_codes())}
            }
        )
    return codes


def clean_time_zone(name: str) -> str:
    name = (name or "").strip()
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            {
                "time_zone": _("Unknown time zone “%(name)s”, for example Europe/Paris.")
                % {"name": name}
            }
        ) from None
    return name


def clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"admin_email": _("“%(email)s” is not a valid e-mail address.") % {"email": email}}
        ) from None
    return email


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=(email or "").strip()).exists()


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "organisation"
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def create_organisation(
    *,
    name: str,
    admin_email: str,
    admin_name: str,
    languages: list[str] | str,
    time_zone: str,
    password: str | None,
    add_another: bool = False,
    via: str = "cli",
) -> NewOrganisation:
    """Creates an organisation and its first admin, or nothing at all.

    Refuses when organisations exist unless ``add_another``: on a shared instance a
    second run of the setup is far more often a mistake than a wish. An address that
    already has an account (someone in another organisation of the instance) keeps
    its password; a new account needs one that passes Django's validators.
    """
    if not add_another and Organisation.objects.exists():
        raise ValidationError(
            {
                "organisation": _(
                    "An organisation already exists on this instance; "
                    "use --add-another to create another one."
                )
            }
        )
    errors: dict[str, list[str]] = {}

    def checked(field: str, clean: Any, value: Any) -> Any:
        # Every field is checked so that one answer names every problem at once.
        try:
            return clean(value)
        except ValidationError as error:
            found = error.message_dict.get(field, []) if hasattr(error, "error_dict") else []
            errors.setdefault(field, []).extend(found or error.messages)
            return None

    name = (name or "").strip()
    if not name:
        errors["organisation"] = [_("Give the organisation a name.")]
    elif Organisation.objects.filter(name__iexact=name).exists():
        errors["organisation"] = [_("An organisation with this name already exists.")]
    email = checked("admin_email", clean_email, admin_email)
    codes = checked("languages", clean_languages, languages)
    zone = checked("time_zone", clean_time_zone, time_zone)
    admin_name = " ".join((admin_name or "").split())
    if not admin_name:
        errors["admin_name"] = [_("Give the admin's name.")]
    user = User.objects.filter(email__iexact=email).first() if email else None
    if user is None:
        if not password:
            errors["password"] = [_("Choose a password for the admin.")]
        else:
            candidate = User(email=email or "", display_name=admin_name)
            checked(
                "password",
                lambda value: password_validation.validate_password(value, candidate),
                password,
            )
    if errors:
        raise ValidationError(errors)
    assert email is not None and codes is not None and zone is not None
    first_name, _space, last_name = admin_name.partition(" ")
    account_created = user is None
    if user is None:
        user = User.objects.create_user(
            email, password, display_name=admin_name, language=codes[0], time_zone=zone
        )

    organisation = Organisation.objects.create(
        name=name,
        slug=_unique_slug(name),
        default_language=codes[0],
        languages=codes,
        time_zone=zone,
    )
    admin = Person.objects.create(
        organisation=organisation,
        user=user,
        first_name=first_name,
        last_name=last_name,
        email=email,
        languages=codes,
    )
    RoleAssignment.objects.create(person=admin, role=Role.ADMIN)
    actor = Actor(organisation=organisation, person=admin, roles=admin.role_set, via=via)
    audit.record(
        "organisation.created",
        organisation=organisation,
        actor=actor,
        target=organisation,
        after={"name": name, "languages": codes, "time_zone": zone, "admin": email},
    )
    organisation_created.send(sender=Organisation, organisation=organisation, actor=actor)
    return NewOrganisation(organisation=organisation, admin=admin, account_created=account_created)


def _operator_audit(organisation: Organisation, action: str, operator: str, via: str) -> None:
    # The operator is not a person of the organisation, so the row names them directly.
    AuditEvent.objects.create(
        organisation=organisation,
        actor_label=operator[:200] or "operator",
        action=action,
        target_type=organisation._meta.label_lower,
        target_id=str(organisation.pk),
        target_label=str(organisation)[:200],
        via=via,
    )


@transaction.atomic
def suspend_organisation(organisation: Organisation, *, operator: str, via: str) -> bool:
    """Stops every sign-in of the organisation's people; deletes nothing. False if already."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.suspended_at is not None:
        return False
    locked.suspended_at = organisation.suspended_at = timezone.now()
    locked.save(update_fields=["suspended_at"])
    _operator_audit(locked, "organisation.suspended", operator, via)
    return True


@transaction.atomic
def resume_organisation(organisation: Organisation, *, operator: str, via: str) -> bool:
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.suspended_at is None:
        return False
    locked.suspended_at = organisation.suspended_at = None
    locked.save(update_fields=["suspended_at"])
    _operator_audit(locked, "organisation.resumed", operator, via)
    return True
