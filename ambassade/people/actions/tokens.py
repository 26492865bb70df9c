"""API tokens and the signed-in user's preferences."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.accounts.models import User
from ambassade.core import audit
from ambassade.core.authz import Actor, allowed, scopes_for_roles
from ambassade.people.models import ApiToken, hash_token


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
    beyond = sorted(set(scopes) - scopes_for_roles(actor.roles))
    if beyond:
        raise ValidationError(
            {"scopes": _("Your roles do not allow these scopes: %s") % ", ".join(beyond)}
        )
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
