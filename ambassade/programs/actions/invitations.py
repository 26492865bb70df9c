"""Invitations: sending them (one by one or as a campaign), reminders, and the answer."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit, events
from ambassade.core.authz import Actor, allowed
from ambassade.core.batch import each
from ambassade.core.roles import Role
from ambassade.people.models import Person, RoleAssignment, hash_token
from ambassade.programs import tasks
from ambassade.programs.actions._common import (
    CURRENT,
    INVITATION_DAYS,
    check,
    on_commit,
    own,
    record_acceptance,
    require_ticked,
)
from ambassade.programs.models import (
    AmbassadorKind,
    AmbassadorType,
    Enrolment,
    Invitation,
    InvitationCampaign,
    Program,
)

# --- Invitations ------------------------------------------------------------------------


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


@transaction.atomic
def issue_link(invitation_id: int) -> tuple[Invitation, str] | None:
    """A new secret for the invitation's link, for the mail about to be sent.

    Only its hash is stored, so each mail (invitation or reminder) carries a fresh link
    and the previous one stops working. None when the invitation is no longer open.
    """
    invitation = (
        # Locks the invitation only: the person's account is on an outer join.
        Invitation.objects.select_for_update(of=("self",))
        .select_related("person__user", "program__organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_open:
        return None
    token, invitation.token_hash = _new_token()
    invitation.link_used_at = None  # a new link; once a password exists it leads to sign-in
    invitation.save(update_fields=["token_hash", "link_used_at"])
    return invitation, token


def _invite_one(
    actor: Actor | None,
    program: Program,
    person: Person,
    *,
    ambassador_type: AmbassadorType,
    source: str,
    campaign: InvitationCampaign | None = None,
) -> Invitation:
    # The real link is issued by the mail task (issue_link): its secret never waits in
    # the task queue. Until then the invitation holds the hash of a discarded secret.
    _, token_hash = _new_token()
    now = timezone.now()
    invitation = Invitation.objects.create(
        program=program,
        person=person,
        ambassador_type=ambassador_type,
        campaign=campaign,
        source=source,
        invited_by=actor.person if actor else None,
        token_hash=token_hash,
        sent_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    audit.record(
        "invitation.sent",
        organisation=program.organisation,
        actor=actor,
        target=invitation,
        after={"program": program.name, "source": source, "type": ambassador_type.kind},
    )
    events.record(
        "programs.invitation_sent",
        program.organisation,
        invitation_id=invitation.pk,
        program_id=program.pk,
        person_id=invitation.person_id,
    )
    on_commit(tasks.send_invitation_mail, invitation.pk, False)
    return invitation


def _invitable(
    program: Program, people: list[Person], ambassador_type: AmbassadorType
) -> tuple[list[Person], list[Person]]:
    """Splits people into those to invite and those skipped (enrolled, invited, or left).

    Someone who left is invited only as an alumni ambassador of a program open to alumni."""
    as_alumni = program.open_to_alumni and ambassador_type.kind == AmbassadorKind.ALUMNI
    ids = [person.pk for person in people]
    enrolled = set(
        Enrolment.objects.filter(
            program=program, person_id__in=ids, status__in=CURRENT
        ).values_list("person_id", flat=True)
    )
    invited = set(
        Invitation.objects.filter(
            program=program, person_id__in=ids, status__in=Invitation.OPEN
        ).values_list("person_id", flat=True)
    )
    to_invite, skipped = [], []
    for person in people:
        busy = person.pk in enrolled or person.pk in invited
        left = person.employment_status == "left"
        if busy or (left and not (as_alumni and person.alumni)):
            skipped.append(person)
        else:
            to_invite.append(person)
    return to_invite, skipped


def _check_invitation(
    actor: Actor,
    program: Program,
    people: list[Person],
    ambassador_type: AmbassadorType,
    on_request: bool = False,
) -> str:
    if program.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    if ambassador_type.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    if any(person.organisation_id != actor.organisation.pk for person in people):
        raise PermissionDenied
    if allowed(actor, "invitations.manage"):
        source = Invitation.Source.HR
    elif (
        allowed(actor, "invitations.invite_reports")
        and actor.person is not None
        and people
        and all(person.manager_id == actor.person.pk for person in people)
    ):
        source = Invitation.Source.MANAGER
    else:
        raise PermissionDenied
    if program.status != Program.Status.ACTIVE:
        raise ValidationError(_("The program is archived: it sends no invitations."))
    # De facto representatives are never solicited: HR may only answer their own request,
    # one person at a time.
    if not ambassador_type.may_contact and not (on_request and len(people) == 1):
        raise ValidationError(
            {
                "ambassador_type": _(
                    "People of this type are never contacted by the company: invite one "
                    "person at a time, only when they asked for it."
                )
            }
        )
    if not people:
        raise ValidationError({"people": _("Choose at least one person to invite.")})
    _check_partners(people, ambassador_type)
    return source


def _check_partners(people: list[Person], ambassador_type: AmbassadorType) -> None:
    """Partners (people.Membership) join under the partner type, and only they do."""
    partner_type = ambassador_type.kind == AmbassadorKind.PARTNER
    if any(person.is_partner != partner_type for person in people):
        if partner_type:
            message = _("Only partners are invited under the partner type.")
        else:
            message = _("Partners are invited under the partner type.")
        raise ValidationError({"ambassador_type": message})


@transaction.atomic
def invite(
    actor: Actor,
    program: Program,
    people: list[Person],
    *,
    ambassador_type: AmbassadorType,
    on_request: bool = False,
) -> tuple[list[Invitation], list[Person]]:
    """Invites people (HR, or a manager for their own reports); returns sent and skipped.

    ``on_request``: the person asked for the invitation (needed for types the company
    never contacts on its own initiative).
    """
    source = _check_invitation(actor, program, people, ambassador_type, on_request)
    to_invite, skipped = _invitable(program, people, ambassador_type)
    sent = [
        _invite_one(actor, program, person, ambassador_type=ambassador_type, source=source)
        for person in to_invite
    ]
    return sent, skipped


@transaction.atomic
def create_campaign(
    actor: Actor,
    program: Program,
    people: list[Person],
    *,
    name: str,
    ambassador_type: AmbassadorType,
    reminder_after_days: int = 7,
    max_reminders: int = 2,
) -> tuple[InvitationCampaign, list[Invitation], list[Person]]:
    check(actor, "invitations.manage", program.organisation_id)
    _check_invitation(actor, program, people, ambassador_type)
    campaign = InvitationCampaign(
        program=program,
        name=name.strip(),
        reminder_after_days=reminder_after_days,
        max_reminders=max_reminders,
        created_by=actor.person,
    )
    if not campaign.name:
        raise ValidationError({"name": _("Give the campaign a name.")})
    campaign.full_clean()
    campaign.save()
    to_invite, skipped = _invitable(program, people, ambassador_type)
    sent = [
        _invite_one(
            actor,
            program,
            person,
            ambassador_type=ambassador_type,
            source=Invitation.Source.HR,
            campaign=campaign,
        )
        for person in to_invite
    ]
    audit.record(
        "invitation_campaign.created",
        organisation=actor.organisation,
        actor=actor,
        target=campaign,
        after={"invited": len(sent), "skipped": len(skipped)},
    )
    return campaign, sent, skipped


@transaction.atomic
def request_to_join(actor: Actor, program: Program) -> Invitation:
    """Self-service: the person asks for the invitation of an open program."""
    person = own(actor, actor.person.pk if actor.person else 0)
    if program.organisation_id != person.organisation_id:
        raise PermissionDenied
    if not program.self_service or program.status != Program.Status.ACTIVE:
        raise ValidationError(_("This program does not take requests to join."))
    existing = Invitation.objects.filter(
        program=program, person=person, status__in=Invitation.OPEN
    ).first()
    if existing is not None:
        return existing
    if Enrolment.objects.filter(program=program, person=person, status__in=CURRENT).exists():
        raise ValidationError(_("You are already enrolled in this program."))
    # Someone who left joins only a program open to alumni, as an alumni ambassador.
    left = person.employment_status == "left"
    if left and not program.open_to_alumni:
        raise ValidationError(_("This program does not take requests to join."))
    supporter = AmbassadorType.objects.get(
        organisation=program.organisation,
        kind=AmbassadorKind.ALUMNI if left else AmbassadorKind.SUPPORTER,
    )
    return _invite_one(
        actor,
        program,
        person,
        ambassador_type=supporter,
        source=Invitation.Source.SELF_SERVICE,
    )


@transaction.atomic
def mark_opened(actor: Actor, invitation: Invitation) -> None:
    own(actor, invitation.person_id)
    if invitation.opened_at is not None or invitation.status != Invitation.Status.SENT:
        return
    invitation.opened_at = timezone.now()
    invitation.status = Invitation.Status.OPENED
    invitation.save(update_fields=["opened_at", "status"])
    audit.record(
        "invitation.opened", organisation=actor.organisation, actor=actor, target=invitation
    )


def _grant_ambassador_role(person: Person) -> bool:
    _, created = RoleAssignment.objects.get_or_create(person=person, role=Role.AMBASSADOR)
    return created


def _usable(invitation: Invitation) -> None:
    if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.DECLINED):
        raise ValidationError(_("This invitation has already been answered."))
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired. Ask for a new one."))


@transaction.atomic
def accept_invitation(
    actor: Actor, invitation: Invitation, *, charter_accepted: bool, user_agent: str = ""
) -> Enrolment:
    person = own(actor, invitation.person_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _usable(invitation)
    require_ticked(charter_accepted)
    program = invitation.program
    from ambassade.programs.selectors import published_charter

    version = published_charter(program, invitation.ambassador_type.kind)
    if program.status != Program.Status.ACTIVE:
        raise ValidationError(_("This program is archived: it takes no new ambassadors."))
    if version is None:
        raise ValidationError(_("This program has no published charter yet: try again later."))
    now = timezone.now()
    enrolment, _created = Enrolment.objects.get_or_create(
        program=program,
        person=person,
        defaults={"ambassador_type": invitation.ambassador_type, "started_at": now},
    )
    if enrolment.status == Enrolment.Status.ENDED or _created:
        enrolment.started_at = now
        enrolment.ended_at = None
        enrolment.history_choice = ""
        enrolment.disconnect_accounts = None
        enrolment.individual_visibility = False
    enrolment.ambassador_type = invitation.ambassador_type
    enrolment.status = Enrolment.Status.ACTIVE
    enrolment.accepted_version = version
    enrolment.save()
    acceptance = record_acceptance(actor, enrolment, version, user_agent)
    invitation.status = Invitation.Status.ACCEPTED
    invitation.opened_at = invitation.opened_at or now
    invitation.responded_at = now
    invitation.save(update_fields=["status", "opened_at", "responded_at"])
    role_granted = _grant_ambassador_role(person)
    audit.record(
        "enrolment.accepted",
        organisation=actor.organisation,
        actor=actor,
        target=enrolment,
        after={
            "charter_version": version.number,
            "content_hash": acceptance.content_hash,
            "channel": acceptance.channel,
            "user_agent_family": acceptance.user_agent_family,
            "ambassador_type": enrolment.ambassador_type.kind,
            "ambassador_role_granted": role_granted,
        },
    )
    events.record(
        "programs.enrolment_started",
        actor.organisation,
        enrolment_id=enrolment.pk,
        program_id=program.pk,
        person_id=person.pk,
    )
    return enrolment


@transaction.atomic
def decline_invitation(actor: Actor, invitation: Invitation) -> Invitation:
    """Declining has no consequence: it is recorded only so the person is not reminded."""
    own(actor, invitation.person_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _usable(invitation)
    now = timezone.now()
    invitation.status = Invitation.Status.DECLINED
    invitation.opened_at = invitation.opened_at or now
    invitation.responded_at = now
    invitation.save(update_fields=["status", "opened_at", "responded_at"])
    audit.record(
        "invitation.declined", organisation=actor.organisation, actor=actor, target=invitation
    )
    return invitation


# --- Periodic work ----------------------------------------------------------------------


@transaction.atomic
def expire_invitations(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return Invitation.objects.filter(status__in=Invitation.OPEN, expires_at__lte=now).update(
        status=Invitation.Status.EXPIRED
    )


def send_due_reminders(now: datetime | None = None) -> int:
    """Reminds campaign invitees who did not answer, each in its own transaction."""
    moment = now or timezone.now()
    candidates = Invitation.objects.filter(
        campaign__isnull=False,
        status__in=Invitation.OPEN,
        expires_at__gt=moment,
        ambassador_type__may_contact=True,
    ).select_related("campaign__program__organisation")

    def remind(invitation: Invitation) -> int:
        campaign = invitation.campaign
        assert campaign is not None
        if invitation.reminders_sent >= campaign.max_reminders:
            return 0
        last = invitation.last_reminded_at or invitation.sent_at
        if moment - last < timedelta(days=campaign.reminder_after_days):
            return 0
        with transaction.atomic():
            updated = Invitation.objects.filter(
                pk=invitation.pk, reminders_sent=invitation.reminders_sent
            ).update(
                reminders_sent=invitation.reminders_sent + 1,
                last_reminded_at=moment,
            )
            if not updated:
                return 0  # another worker reminded it meanwhile
            audit.record(
                "invitation.reminded",
                organisation=campaign.program.organisation,
                actor=None,
                target=invitation,
                after={"reminder": invitation.reminders_sent + 1},
            )
            on_commit(tasks.send_invitation_mail, invitation.pk, True)
        return 1

    return each("programs.send_due_reminders", candidates.iterator(chunk_size=500), remind).done
