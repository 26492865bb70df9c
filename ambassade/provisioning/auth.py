"""Who a SCIM request is: its bearer token decides the organisation.

A provisioning token acts as the organisation's people administration (the HR role,
with the people scopes only), whoever created it: provisioning must not stop when the
administrator who set it up leaves. Its audit rows say ``via="scim"`` and name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone

from ambassade.core.authz import Actor
from ambassade.core.roles import Role, Scope
from ambassade.people.models import hash_token
from ambassade.provisioning.models import ProvisioningToken

TOKEN_PREFIX = "scim_"  # noqa: S105 (the visible start of every provisioning token)


@dataclass(frozen=True)
class ProvisioningActor(Actor):
    @property
    def label(self) -> str:
        return f"SCIM: {self.token_label}"


def actor_for_token(token: ProvisioningToken) -> ProvisioningActor:
    return ProvisioningActor(
        organisation=token.organisation,
        person=None,
        roles=frozenset({Role.HR}),
        scopes=frozenset({Scope.PEOPLE_READ, Scope.PEOPLE_WRITE}),
        via="scim",
        token_id=token.pk,
        token_label=str(token),
    )


def token_from(request: HttpRequest) -> ProvisioningToken | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ProvisioningToken.objects.select_related("organisation")
        .filter(secret_hash=hash_token(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.organisation.is_suspended:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        # At most one write a minute per token, not one per request.
        ProvisioningToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


TOKEN_FAILURES = "scim_token_failed"  # noqa: S105 (a rate-limit action name)


def _limits() -> dict[str, str]:
    from django.conf import settings

    return {TOKEN_FAILURES: settings.API_TOKEN_FAILURES}


def locked_out(request: HttpRequest) -> bool:
    """Wrong provisioning tokens are counted per source, as the API's are (core/api.py):
    past the limit, every token from there is refused for a while."""
    from allauth.core.internal import ratelimit

    return not ratelimit.consume(
        request,
        app="ambassade.scim",
        action=TOKEN_FAILURES,
        config=_limits(),
        dry_run=True,
        limit_get=True,
    )


def count_failure(request: HttpRequest) -> None:
    from allauth.core.internal import ratelimit

    ratelimit.consume(
        request, app="ambassade.scim", action=TOKEN_FAILURES, config=_limits(), limit_get=True
    )
