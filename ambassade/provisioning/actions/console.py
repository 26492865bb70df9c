"""The console's provisioning writes: tokens, what a group is, and the report's events."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.core.models import Organisation
from ambassade.people.models import hash_token
from ambassade.provisioning.auth import TOKEN_PREFIX
from ambassade.provisioning.models import (
    GroupMapping,
    ProvisioningEvent,
    ProvisioningSettings,
    ProvisioningToken,
)


def _require_manager(actor: Actor) -> None:
    if not allowed(actor, "provisioning.manage"):
        raise PermissionDenied


@transaction.atomic
def create_token(actor: Actor, name: str) -> tuple[ProvisioningToken, str]:
    """Returns the token and its secret; the secret is shown once and never stored."""
    _require_manager(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if len(name) > 100:
        raise ValidationError({"name": _("The name is longer than 100 characters.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ProvisioningToken.objects.create(
        organisation=actor.organisation,
        name=name,
        prefix=secret[:10],
        secret_hash=hash_token(secret),
        created_by=actor.person,
    )
    audit.record(
        "provisioning.token_created",
        organisation=actor.organisation,
        actor=actor,
        target=token,
        after={"name": token.name},
    )
    return token, secret


@transaction.atomic
def revoke_token(actor: Actor, token: ProvisioningToken) -> None:
    _require_manager(actor)
    if token.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        "provisioning.token_revoked", organisation=actor.organisation, actor=actor, target=token
    )


def settings_of(organisation: Organisation) -> ProvisioningSettings:
    found, _created = ProvisioningSettings.objects.get_or_create(organisation=organisation)
    return found


@transaction.atomic
def set_group_mapping(actor: Actor, groups_are: str) -> ProvisioningSettings:
    """Whether the provider's groups are the departments or the sites. Changing it changes
    which groups SCIM lists (the other kind's ids answer 404 from then on)."""
    _require_manager(actor)
    if groups_are not in GroupMapping.values:
        raise ValidationError({"groups_are": _("Choose departments or sites.")})
    found = settings_of(actor.organisation)
    if found.groups_are == groups_are:
        return found
    before = {"groups_are": found.groups_are}
    found.groups_are = groups_are
    found.save(update_fields=["groups_are"])
    audit.record(
        "provisioning.groups_mapping_changed",
        organisation=actor.organisation,
        actor=actor,
        before=before,
        after={"groups_are": groups_are},
    )
    return found


@transaction.atomic
def record_event(
    token: ProvisioningToken,
    *,
    method: str,
    resource_type: str,
    outcome: str,
    status: int,
    resource_id: str = "",
    label: str = "",
    changed: list[str] | None = None,
    detail: str = "",
) -> ProvisioningEvent:
    """One line of the report: which attributes changed, or why a request was refused.
    The values themselves stay out (the audit log keeps what changed, for people data)."""
    return ProvisioningEvent.objects.create(
        organisation_id=token.organisation_id,
        token=token,
        method=method[:8],
        resource_type=resource_type[:16],
        resource_id=resource_id[:64],
        label=label[:200],
        outcome=outcome,
        status=status,
        changed=sorted(changed or []),
        detail=detail[:500],
    )
