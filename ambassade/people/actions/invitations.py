"""Account invitations: one-time links by e-mail to come and sign in."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.accounts.models import User
from ambassade.core import audit
from ambassade.core.authz import Actor, actor_for_person
from ambassade.people import notifications
from ambassade.people.actions._common import _require, _same_organisation
from ambassade.people.models import AccountInvitation, EmploymentStatus, Person
from ambassade.people.signals import ways_in

# --- Account invitations ----------------------------------------------------------------


def _create_account_invitation(actor: Actor, person: Person) -> AccountInvitation:
    if person.user_id is not None:
        raise ValidationError(_("%s can already sign in.") % person.full_name)
    if person.anonymised_at is not None or person.employment_status == EmploymentStatus.LEFT:
        raise ValidationError(_("A person who has left cannot be invited to sign in."))
    programs = ways_in(person)
    if programs:
        # One mail per invitation: the program's already leads to a password.
        raise ValidationError(
            _(
                "%(name)s is invited to %(programs)s: that invitation's link lets them "
                "choose a password."
            )
            % {"name": person.full_name, "programs": ", ".join(programs)}
        )
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


def invitation_for(secret: str) -> AccountInvitation | None:
    return (
        AccountInvitation.objects.select_related("person", "person__organisation", "organisation")
        .filter(token_hash=AccountInvitation.hash(secret), revoked_at__isnull=True)
        .first()
    )


def _activate(person: Person, password: str | None) -> User:
    """Gives the person an account: a new one, a password for one without a usable one,
    or an existing account with the same e-mail (``password`` None: it keeps its own)."""
    user = person.user or User.objects.filter(email__iexact=person.email).first()
    if user is None or not user.has_usable_password():
        if not password:
            raise ValidationError({"new_password1": _("Choose a password.")})
        if user is None:
            user = User.objects.create_user(person.email, password, display_name=person.full_name)
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
    elif password is not None:
        raise ValidationError(_("This account already has a password: sign in with it."))
    if person.user_id != user.pk:
        if Person.objects.filter(organisation=person.organisation, user=user).exists():
            raise ValidationError(_("This account is already a member of the organisation."))
        person.user = user
        person.save(update_fields=["user"])
    # One way in: a sign-in link sent earlier stops working.
    AccountInvitation.objects.filter(
        person=person, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    audit.record(
        "person.account_activated",
        organisation=person.organisation,
        actor=actor_for_person(person),
        target=person,
    )
    return user


@transaction.atomic
def activate_account(person: Person, password: str | None) -> User:
    """For other apps (a program invitation's link, which proved the mailbox): the person's
    first password, or their existing account linked. The form validated the password."""
    # Only the person's row: PostgreSQL cannot lock the nullable side of the join to the user.
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if person.anonymised_at is not None or person.employment_status == EmploymentStatus.LEFT:
        raise ValidationError(_("A person who has left cannot be invited to sign in."))
    return _activate(person, password)


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
    existing = User.objects.filter(email__iexact=person.email).first()
    usable = existing is not None and existing.has_usable_password()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return _activate(person, None if usable else password)
