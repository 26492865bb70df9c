"""Does the organisation's two-factor policy apply to this person, and from when?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.utils import timezone

from ambassade.accounts.actions import console_two_factor_roles
from ambassade.accounts.models import TwoFactorPolicy

# A second factor that counts: recovery codes alone are only a way back in.
FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
# Set by single sign-on: the organisation's identity provider checked the person, with the
# factors it requires, so Ambassade's own second factor is not asked for this session.
SESSION_SIGNED_IN_BY_PROVIDER = "signed_in_by_provider"


@dataclass(frozen=True)
class Requirement:
    deadline: datetime

    @property
    def overdue(self) -> bool:
        return timezone.now() >= self.deadline


def requirement(request: HttpRequest) -> Requirement | None:
    """The pending requirement for the signed-in person, or None (not required, or done).

    Cached on the request: the middleware and the banner ask the same question.
    """
    if hasattr(request, "_two_factor_requirement"):
        cached: Requirement | None = request._two_factor_requirement
        return cached
    found: Requirement | None = None
    actor = getattr(request, "actor", None)
    if (
        actor is not None
        and actor.roles & console_two_factor_roles()
        and request.user.is_authenticated
        and not request.session.get(SESSION_SIGNED_IN_BY_PROVIDER)
    ):
        policy = TwoFactorPolicy.objects.filter(
            organisation=actor.organisation, required_for_console=True
        ).first()
        deadline = policy.deadline if policy is not None else None
        if (
            deadline is not None
            and not Authenticator.objects.filter(user=request.user, type__in=FACTORS).exists()
        ):
            found = Requirement(deadline=deadline)
    request._two_factor_requirement = found  # type: ignore[attr-defined]
    return found
