"""Writes to the organisation itself: one transaction, one audit row."""

from __future__ import annotations

import re
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ambassade.core import audit, brand
from ambassade.core.authz import Actor, allowed
from ambassade.core.models import Organisation

SETTINGS_FIELDS = (
    "name",
    "default_language",
    "brand_colour",
    "departure_notice_days",
    "retention_days_after_departure",
    "time_zone",
    "languages",
)


@transaction.atomic
def update_organisation_settings(actor: Actor, changes: dict[str, Any]) -> Organisation:
    if not allowed(actor, "organisation.settings"):
        raise PermissionDenied
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"unknown organisation settings: {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation.pk)
    before = {name: getattr(organisation, name) for name in SETTINGS_FIELDS}
    for name, value in changes.items():
        setattr(organisation, name, value)
    errors: dict[str, str] = {}
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", organisation.brand_colour or ""):
        errors["brand_colour"] = _("Use a hexadecimal colour such as #1d3f8f.")
    elif (ratio := brand.contrast_with_white(organisation.brand_colour)) < brand.MINIMUM_CONTRAST:
        errors["brand_colour"] = _(
            "White text on this colour has a contrast of %(ratio)s:1, below the 4.5:1 "
            "that makes primary actions readable (WCAG AA). Choose a darker colour."
        ) % {"ratio": number_format(round(ratio, 2), 2)}
    if not 0 <= organisation.departure_notice_days <= 365:
        errors["departure_notice_days"] = _("Choose between 0 and 365 days.")
    if not 30 <= organisation.retention_days_after_departure <= 3650:
        errors["retention_days_after_departure"] = _("Choose between 30 and 3,650 days.")
    if organisation.time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = _("Choose a time zone from the list, such as Europe/Paris.")
    codes = {code for code, _name in settings.LANGUAGES}
    # An organisation set up before the list existed has none: all languages, until chosen.
    enabled = organisation.languages
    if ("languages" in changes or enabled) and (not enabled or not set(enabled) <= codes):
        errors["languages"] = _("Choose at least one of the languages offered.")
    elif enabled and organisation.default_language not in enabled:
        errors["languages"] = _("The default language must be one of the enabled languages.")
    if not (organisation.name or "").strip():
        errors["name"] = _("Give the organisation a name.")
    if errors:
        raise ValidationError(errors)
    organisation.full_clean()
    organisation.save()
    after = {name: getattr(organisation, name) for name in SETTINGS_FIELDS}
    changed = sorted(name for name in SETTINGS_FIELDS if before[name] != after[name])
    if changed:
        audit.record(
            "organisation.settings_changed",
            organisation=organisation,
            actor=actor,
            target=organisation,
            before={name: before[name] for name in changed},
            after={name: after[name] for name in changed},
        )
    return organisation


@transaction.atomic
def record_token_lockout(*, source: str, seconds: int) -> None:
    """Wrong API tokens from one source: one audit row per lock-out, not per refusal (the
    cache remembers, for the lock-out's length, that it was recorded). No organisation:
    the tokens tried belong to nobody; the source is a daily pseudonym and not recorded."""
    from django.core.cache import cache

    if not cache.add(f"api-token-lockout:{source}", True, timeout=max(seconds, 1)):
        return
    audit.record(
        "api.token_locked_out",
        organisation=None,
        actor=None,
        after={"limit": "source", "seconds": seconds},
    )
