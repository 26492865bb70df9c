"""The admins' write of the sign-in policy: who must sign in through the organisation's
identity provider, and the break-glass admins who keep their password."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.core.roles import Role
from ambassade.identity.connection_actions import check
from ambassade.identity.models import Connection, SignInPolicy, SsoRequirement
from ambassade.people.models import Person


def update_policy(actor: Actor, *, sso_required: str, break_glass: list[Person]) -> SignInPolicy:
    """The organisation can never lock itself out: single sign-on is required only with
    an enabled connection, and for console roles or everyone only with a break-glass
    admin who keeps their password."""
    check(actor)
    if sso_required not in SsoRequirement.values:
        raise ValidationError({"sso_required": _("Choose for whom single sign-on is required.")})
    chosen = list({person.pk: person for person in break_glass}.values())
    admins = set(
        Person.objects.filter(
            organisation=actor.organisation, role_assignments__role=Role.ADMIN
        ).values_list("pk", flat=True)
    )
    strangers = [person for person in chosen if person.pk not in admins]
    if strangers:
        message = _(
            "Only the organisation's admins can be break-glass admins: %(names)s is not one."
        )
        raise ValidationError({"break_glass": message % {"names": strangers[0].full_name}})
    with transaction.atomic():
        policy, _created = SignInPolicy.objects.select_for_update().get_or_create(
            organisation=actor.organisation
        )
        if sso_required != SsoRequirement.NONE:
            if not Connection.objects.filter(
                organisation=actor.organisation, enabled=True
            ).exists():
                raise ValidationError(
                    {
                        "sso_required": _(
                            "Single sign-on cannot be required while the organisation has no "
                            "enabled connection: add one and test it first."
                        )
                    }
                )
            if not chosen:
                raise ValidationError(
                    {
                        "break_glass": _(
                            "Choose at least one break-glass admin: if the identity provider "
                            "fails, they are the only ones who can still sign in with a password."
                        )
                    }
                )
        before = {
            "sso_required": policy.sso_required,
            "break_glass": sorted(p.full_name for p in policy.break_glass.all()),
        }
        policy.sso_required = sso_required
        policy.save()
        policy.break_glass.set(chosen)
        audit.record(
            "identity.policy_changed",
            organisation=actor.organisation,
            actor=actor,
            target=policy,
            before=before,
            after={
                "sso_required": sso_required,
                "break_glass": sorted(p.full_name for p in chosen),
            },
        )
    return policy
