"""Writes of the analytics settings: currency and small-group rule, media rates, brand accounts.

Each function checks ``analytics.settings``, validates with messages naming the field at
fault, writes in one transaction and leaves an audit row. Nothing is queued: the figures
read the rates and the brand audience when they are shown.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.analytics.models import AnalyticsSettings, BrandAccount, MediaRate
from ambassade.analytics.value import known_networks
from ambassade.core import audit
from ambassade.core.authz import Actor, allowed

SMALL_GROUP_MIN = 3
SMALL_GROUP_MAX = 50
MAX_COST_PER_CLICK = Decimal("1000")
MAX_COST_PER_MILLE = Decimal("10000")
# Far above the largest accounts there are, and within what the column holds.
MAX_FOLLOWERS = 1_000_000_000
MAX_HANDLE = 200


def _check(actor: Actor) -> None:
    if not allowed(actor, "analytics.settings"):
        raise PermissionDenied


def _known_network(network: str) -> str:
    code = (network or "").strip().lower()
    if code not in known_networks():
        raise ValidationError(
            {"network": _("Unknown network: %(network)s.") % {"network": network}}
        )
    return code


def _amount(value: Any, field: str, maximum: Decimal, too_high: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount, such as 4.50.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount, such as 4.50.")})
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    if amount > maximum:
        raise ValidationError({field: too_high})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("Use at most two decimals.")})
    return amount.quantize(Decimal("0.01"))


def _followers(value: Any) -> int:
    # bool is an int in Python; "True followers" is a mistake, not a number.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({"followers": _("Enter the followers as a whole number.")})
    if value < 0:
        raise ValidationError({"followers": _("Followers cannot be negative.")})
    if value > MAX_FOLLOWERS:
        raise ValidationError(
            {"followers": _("At most 1,000,000,000 followers: is this number right?")}
        )
    return value


def _measured_on(value: Any) -> date:
    if not isinstance(value, date):
        raise ValidationError({"measured_on": _("Enter the date the followers were counted.")})
    if value > timezone.localdate():
        raise ValidationError({"measured_on": _("The date cannot be in the future.")})
    return value


def _account_state(account: BrandAccount) -> dict[str, Any]:
    return {
        "network": account.network,
        "handle": account.handle,
        "followers": account.followers,
        "measured_on": account.measured_on.isoformat(),
    }


def update_settings(actor: Actor, currency: str, small_group: int) -> AnalyticsSettings:
    """The currency figures are shown in, and the smallest group shown on its own."""
    _check(actor)
    code = (currency or "").strip()
    errors: dict[str, str] = {}
    if not re.fullmatch(r"[A-Z]{3}", code):
        errors["currency"] = _(
            "Write the currency as its three capital letters (ISO 4217), such as EUR."
        )
    if isinstance(small_group, bool) or not isinstance(small_group, int):
        errors["small_group"] = _("Enter the smallest group as a whole number.")
    elif not SMALL_GROUP_MIN <= small_group <= SMALL_GROUP_MAX:
        errors["small_group"] = _("Choose a smallest group from %(low)d to %(high)d people.") % {
            "low": SMALL_GROUP_MIN,
            "high": SMALL_GROUP_MAX,
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        options, _created = AnalyticsSettings.objects.select_for_update().get_or_create(
            organisation=actor.organisation
        )
        before = {"currency": options.currency, "small_group": options.small_group}
        options.currency = code
        options.small_group = small_group
        options.save()
        audit.record(
            "analytics.settings_changed",
            organisation=actor.organisation,
            actor=actor,
            target=options,
            before=before,
            after={"currency": options.currency, "small_group": options.small_group},
        )
    return options


def set_media_rate(
    actor: Actor, network: str, cost_per_click: Any, cost_per_mille: Any
) -> MediaRate:
    """The organisation's own rates for one network, in place of the default."""
    _check(actor)
    code = _known_network(network)
    errors: dict[str, list[str]] = {}
    amounts: dict[str, Decimal] = {}
    checks = (
        (
            "cost_per_click",
            cost_per_click,
            MAX_COST_PER_CLICK,
            _("A click costs at most 1,000: is this amount right?"),
        ),
        (
            "cost_per_mille",
            cost_per_mille,
            MAX_COST_PER_MILLE,
            _("A thousand impressions cost at most 10,000: is this amount right?"),
        ),
    )
    for field, value, maximum, too_high in checks:
        try:
            amounts[field] = _amount(value, field, maximum, too_high)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        found = (
            MediaRate.objects.select_for_update()
            .filter(organisation=actor.organisation, network=code)
            .first()
        )
        before = (
            {
                "cost_per_click": str(found.cost_per_click),
                "cost_per_mille": str(found.cost_per_mille),
            }
            if found is not None
            else None
        )
        rate, _created = MediaRate.objects.update_or_create(
            organisation=actor.organisation, network=code, defaults=amounts
        )
        audit.record(
            "analytics.media_rate_set",
            organisation=actor.organisation,
            actor=actor,
            target=rate,
            before=before,
            after={
                "network": code,
                "cost_per_click": str(rate.cost_per_click),
                "cost_per_mille": str(rate.cost_per_mille),
            },
        )
    return rate


def reset_media_rate(actor: Actor, network: str) -> bool:
    """Back to the default rates for one network; False when they already applied."""
    _check(actor)
    code = _known_network(network)
    with transaction.atomic():
        found = (
            MediaRate.objects.select_for_update()
            .filter(organisation=actor.organisation, network=code)
            .first()
        )
        if found is None:
            return False
        audit.record(
            "analytics.media_rate_reset",
            organisation=actor.organisation,
            actor=actor,
            target=found,
            before={
                "network": code,
                "cost_per_click": str(found.cost_per_click),
                "cost_per_mille": str(found.cost_per_mille),
            },
        )
        found.delete()
    return True


def add_brand_account(
    actor: Actor, network: str, handle: str, followers: Any, measured_on: Any
) -> BrandAccount:
    """Registers one of the brand's own accounts, counted in the amplification baseline."""
    _check(actor)
    code = _known_network(network)
    name = (handle or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["handle"] = [_("Enter the account's handle or name.")]
    elif len(name) > MAX_HANDLE:
        errors["handle"] = [_("A handle has at most 200 characters.")]
    for check in (lambda: _followers(followers), lambda: _measured_on(measured_on)):
        try:
            check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    taken = ValidationError(
        {"handle": _("%(handle)s is already registered for this network.") % {"handle": name}}
    )
    with transaction.atomic():
        # Handles are case-insensitive on the networks: @Verdier and @verdier are one account.
        if BrandAccount.objects.filter(
            organisation=actor.organisation, network=code, handle__iexact=name
        ).exists():
            raise taken
        try:
            with transaction.atomic():  # a savepoint: a concurrent twin must not end it all
                account = BrandAccount.objects.create(
                    organisation=actor.organisation,
                    network=code,
                    handle=name,
                    followers=followers,
                    measured_on=measured_on,
                )
        except IntegrityError:
            raise taken from None
        audit.record(
            "analytics.brand_account_added",
            organisation=actor.organisation,
            actor=actor,
            target=account,
            after=_account_state(account),
        )
    return account


def change_brand_account(
    actor: Actor, account: BrandAccount, followers: Any, measured_on: Any
) -> BrandAccount:
    """A new count of an account's followers."""
    _check(actor)
    if account.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    for check in (lambda: _followers(followers), lambda: _measured_on(measured_on)):
        try:
            check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = BrandAccount.objects.select_for_update().get(pk=account.pk)
        before = _account_state(locked)
        locked.followers = followers
        locked.measured_on = measured_on
        locked.save()
        audit.record(
            "analytics.brand_account_changed",
            organisation=actor.organisation,
            actor=actor,
            target=locked,
            before=before,
            after=_account_state(locked),
        )
    return locked


def remove_brand_account(actor: Actor, account: BrandAccount) -> None:
    _check(actor)
    if account.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    with transaction.atomic():
        audit.record(
            "analytics.brand_account_removed",
            organisation=actor.organisation,
            actor=actor,
            target=account,
            before=_account_state(account),
        )
        BrandAccount.objects.filter(pk=account.pk).delete()


def record_export(actor: Actor, program: Any, page: str, tables: list[str], fmt: str) -> None:
    """Downloads of figures leave a trace: an export can travel further than a page."""
    audit.record(
        "analytics.export",
        organisation=actor.organisation,
        actor=actor,
        target=program,
        after={"page": page, "tables": tables, "format": fmt},
    )
