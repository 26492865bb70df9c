"""Writes about accounts: lock-outs, the two-factor policy, second factors and sessions.

Each is one transaction with its audit row(s).
"""

from __future__ import annotations

import hashlib
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.accounts.models import TwoFactorPolicy, User
from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.core.models import Organisation

MAX_GRACE_DAYS = 90


def organisations_of(user: User) -> list[Organisation]:
    # The reverse relation of people.Person.user, by name: accounts sits below people.
    return list(Organisation.objects.filter(people__user=user).distinct().order_by("name"))


def mail_organisation_slug(email: str, user: Any = None) -> str:
    """Which organisation's outbox shows a message about an account (its first one)."""
    if user is None or not getattr(user, "pk", None):
        user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return ""
    organisations = organisations_of(user)
    return organisations[0].slug if organisations else ""


@transaction.atomic
def record_lockout(request: HttpRequest, *, login: str, per: str, seconds: int) -> None:
    """One audit row per lock-out (not per refused attempt), in each organisation of the
    account; an unknown address is recorded without an organisation or the address."""
    login_hash = hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]
    if not cache.add(f"signin-lockout:{per}:{login_hash}", True, timeout=max(seconds, 1)):
        return
    after = {"limit": "account" if per == "key" else "source", "seconds": seconds}
    user = User.objects.filter(email__iexact=login.strip()).first() if login else None
    organisations = organisations_of(user) if user is not None else []
    if not organisations:
        audit.record("account.locked_out", organisation=None, actor=None, after=after)
    for organisation in organisations:
        audit.record(
            "account.locked_out", organisation=organisation, actor=None, target=user, after=after
        )


def policy_for(organisation: Organisation) -> TwoFactorPolicy:
    found = TwoFactorPolicy.objects.filter(organisation=organisation).first()
    return found or TwoFactorPolicy(organisation=organisation)


@transaction.atomic
def update_two_factor_policy(actor: Actor, changes: dict[str, Any]) -> TwoFactorPolicy:
    if not allowed(actor, "organisation.settings"):
        raise PermissionDenied
    unknown = set(changes) - {"required_for_console", "grace_days"}
    if unknown:
        raise ValueError(f"unknown two-factor settings: {sorted(unknown)}")
    policy, _created = TwoFactorPolicy.objects.select_for_update().get_or_create(
        organisation=actor.organisation
    )
    before = {"required_for_console": policy.required_for_console, "grace_days": policy.grace_days}
    grace = changes.get("grace_days", policy.grace_days)
    if not isinstance(grace, int) or not 0 <= grace <= MAX_GRACE_DAYS:
        raise ValidationError(
            {"grace_days": _("Choose between 0 and %(days)s days.") % {"days": MAX_GRACE_DAYS}}
        )
    policy.grace_days = grace
    required = bool(changes.get("required_for_console", policy.required_for_console))
    if required and not policy.required_for_console:
        policy.required_since = timezone.now()  # the grace period starts now
    elif not required:
        policy.required_since = None
    policy.required_for_console = required
    policy.save()
    audit.record(
        "accounts.two_factor_policy_changed",
        organisation=actor.organisation,
        actor=actor,
        target=policy,
        before=before,
        after={"required_for_console": required, "grace_days": grace},
    )
    return policy


@transaction.atomic
def reset_second_factor(actor: Actor, user: User) -> int:
    """Removes a person's TOTP, recovery codes and passkeys, so that they can enrol again
    (a lost phone). The caller checked that the person belongs to the actor's organisation."""
    if not allowed(actor, "two_factor.reset"):
        raise PermissionDenied
    authenticators = Authenticator.objects.filter(user=user)
    kinds = sorted({kind for kind in authenticators.values_list("type", flat=True)})
    removed, _details = authenticators.delete()
    audit.record(
        "accounts.second_factor_reset",
        organisation=actor.organisation,
        actor=actor,
        target=user,
        before={"types": kinds},
        after={"types": []},
    )
    return removed


@transaction.atomic
def end_session(actor: Actor, user: User, session_id: int) -> None:
    """Signs one of the account's own sessions out (another device)."""
    if not allowed(actor, "sessions.manage_own"):
        raise PermissionDenied
    session = UserSession.objects.filter(user=user, pk=session_id).first()
    if session is None:
        from django.http import Http404

        raise Http404
    session.end()
    audit.record(
        "accounts.session_ended",
        organisation=actor.organisation,
        actor=actor,
        target=user,
        after={"session": session_id},
    )


def console_two_factor_roles() -> frozenset[str]:
    return frozenset(settings.TWO_FACTOR_ROLES)
