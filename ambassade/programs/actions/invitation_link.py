"""The link of an invitation mail as the way in: a first password, or an existing account,
and a new link asked for when it expired or was used."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.accounts.models import User
from ambassade.core import audit
from ambassade.core.authz import actor_for_person
from ambassade.people import actions as people_actions
from ambassade.people.models import hash_token
from ambassade.programs import tasks
from ambassade.programs.actions._common import on_commit
from ambassade.programs.models import Invitation

# One request for a new link per invitation in this time: enough to reach HR, not to flood it.
RENEWAL_INTERVAL = timedelta(hours=24)


class LinkState(StrEnum):
    OPEN = "open"  # the invitation waits for an answer, the password step not done
    USED = "used"  # the password was chosen with it (the person now signs in)
    ANSWERED = "answered"  # accepted or declined
    EXPIRED = "expired"


def invitation_for_link(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related(
            "person__user", "person__organisation", "program__organisation"
        )
        .filter(token_hash=hash_token(token[:200]))
        .first()
    )


def link_state(invitation: Invitation) -> LinkState:
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.DECLINED):
        return LinkState.ANSWERED
    if not invitation.is_open:
        return LinkState.EXPIRED
    if invitation.link_used_at is not None:
        return LinkState.USED
    return LinkState.OPEN


def account_of_invitee(invitation: Invitation) -> User | None:
    """The invitee's account, or an account with their e-mail (from another organisation)."""
    person = invitation.person
    return person.user or User.objects.filter(email__iexact=person.email).first()


def needs_password(invitation: Invitation) -> bool:
    user = account_of_invitee(invitation)
    return user is None or not user.has_usable_password()


def _locked_open(invitation: Invitation) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("person__user", "program__organisation")
        .get(pk=invitation.pk)
    )
    state = link_state(invitation)
    if state == LinkState.EXPIRED:
        raise ValidationError(_("This invitation has expired. Ask for a new one."))
    if state == LinkState.ANSWERED:
        raise ValidationError(_("This invitation has already been answered."))
    return invitation


@transaction.atomic
def choose_password(invitation: Invitation, password: str) -> User:
    """The link's single password step: creates the account (or gives a password to one
    without a usable one). The form validated the password."""
    invitation = _locked_open(invitation)
    if invitation.link_used_at is not None:
        raise ValidationError(_("This link was already used to choose a password."))
    if not needs_password(invitation):
        raise ValidationError(_("This account already has a password: sign in with it."))
    user = people_actions.activate_account(invitation.person, password)
    invitation.link_used_at = timezone.now()
    invitation.save(update_fields=["link_used_at"])
    audit.record(
        "invitation.password_chosen",
        organisation=invitation.program.organisation,
        actor=actor_for_person(invitation.person),
        target=invitation,
    )
    return user


@transaction.atomic
def join_signed_in_account(invitation: Invitation, user: User) -> None:
    """The invitee signed in with an account of theirs from another organisation (same
    e-mail): the link proved the mailbox, the sign-in the account; the two are joined."""
    invitation = _locked_open(invitation)
    person = invitation.person
    if person.user_id is not None or user.email.lower() != person.email.lower():
        raise ValidationError(_("This invitation is for another account."))
    people_actions.activate_account(person, None)


@transaction.atomic
def ask_for_new_link(invitation: Invitation) -> bool:
    """The invitee's link expired or was used: tells whoever invited them (or HR).

    False when a request was already made in the last RENEWAL_INTERVAL (nothing sent).
    """
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    now = timezone.now()
    last = invitation.renewal_requested_at
    if last is not None and now - last < RENEWAL_INTERVAL:
        return False
    invitation.renewal_requested_at = now
    fields = ["renewal_requested_at"]
    if invitation.status in Invitation.OPEN and invitation.expires_at <= now:
        # Expired already: HR may invite again at once, without waiting for the hourly sweep.
        invitation.status = Invitation.Status.EXPIRED
        fields.append("status")
    invitation.save(update_fields=fields)
    audit.record(
        "invitation.renewal_requested",
        organisation=invitation.program.organisation,
        actor=None,
        target=invitation,
        after={"status": invitation.status, "link_used": invitation.link_used_at is not None},
    )
    on_commit(tasks.send_renewal_request_mail, invitation.pk)
    return True
