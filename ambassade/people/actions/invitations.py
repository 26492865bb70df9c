"""Account invitations: one-time links by e-mail to come and sign in."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.accounts.models import User
from ambassade.core import audit
from ambassade.core.authz import RULES, Actor, actor_for_person, allowed
from ambassade.people import notifications
from ambassade.people.actions._common import _require, _same_organisation
from ambassade.people.models import AccountInvitation, EmploymentStatus, Person

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
