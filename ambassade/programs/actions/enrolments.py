"""Changes to enrolments: re-accepting the charter, leaving, visibility, report consent,
lifecycle."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit, events
from ambassade.core.authz import Actor, allowed
from ambassade.core.roles import Role
from ambassade.people.models import Person, RoleAssignment
from ambassade.programs import tasks
from ambassade.programs.actions._common import (
    CURRENT,
    on_commit,
    own,
    record_acceptance,
    require_ticked,
)
from ambassade.programs.models import AmbassadorKind, AmbassadorType, Enrolment, Invitation
from ambassade.programs.signals import enrolment_left

# --- Enrolments -------------------------------------------------------------------------


@transaction.atomic
def reaccept_charter(
    actor: Actor, enrolment: Enrolment, *, charter_accepted: bool, user_agent: str = ""
) -> Enrolment:
    own(actor, enrolment.person_id)
    if enrolment.status != Enrolment.Status.PAUSED:
        raise ValidationError(_("There is no new charter waiting for you in this program."))
    require_ticked(charter_accepted)
    from ambassade.programs.selectors import charter_of

    version = charter_of(enrolment)
    if version is None:  # pragma: no cover (a paused enrolment implies a published version)
        raise ValidationError(_("This program has no published charter."))
    enrolment.status = Enrolment.Status.ACTIVE
    enrolment.accepted_version = version
    enrolment.save(update_fields=["status", "accepted_version"])
    acceptance = record_acceptance(actor, enrolment, version, user_agent)
    audit.record(
        "enrolment.charter_reaccepted",
        organisation=actor.organisation,
        actor=actor,
        target=enrolment,
        after={"charter_version": version.number, "content_hash": acceptance.content_hash},
    )
    return enrolment


def _end(enrolment: Enrolment, now: datetime) -> None:
    enrolment.status = Enrolment.Status.ENDED
    enrolment.ended_at = now
    enrolment.review_reason = ""
    enrolment.review_requested_at = None
    enrolment.suggested_type = None


def _announce_end(enrolment: Enrolment, why: str) -> None:
    events.record(
        "programs.enrolment_ended",
        enrolment.person.organisation,
        enrolment_id=enrolment.pk,
        program_id=enrolment.program_id,
        person_id=enrolment.person_id,
        why=why,
    )


def _drop_role_if_unenrolled(person: Person) -> bool:
    if Enrolment.objects.filter(person=person, status__in=CURRENT).exists():
        return False
    deleted, _ = RoleAssignment.objects.filter(person=person, role=Role.AMBASSADOR).delete()
    return bool(deleted)


@transaction.atomic
def leave(
    actor: Actor, enrolment: Enrolment, *, anonymise_history: bool, disconnect_accounts: bool
) -> Enrolment:
    """One step, effective at once: no approval, no notice period."""
    person = own(actor, enrolment.person_id)
    if enrolment.status == Enrolment.Status.ENDED:
        raise ValidationError(_("You have already left this program."))
    _end(enrolment, timezone.now())
    enrolment.history_choice = (
        Enrolment.History.ANONYMISED if anonymise_history else Enrolment.History.ATTRIBUTED
    )
    enrolment.disconnect_accounts = disconnect_accounts
    enrolment.save()
    role_removed = _drop_role_if_unenrolled(person)
    audit.record(
        "enrolment.left",
        organisation=actor.organisation,
        actor=actor,
        target=enrolment,
        after={
            "history": enrolment.history_choice,
            "disconnect_accounts": disconnect_accounts,
            "ambassador_role_removed": role_removed,
        },
    )
    _announce_end(enrolment, "left")
    enrolment_left.send(
        sender=Enrolment,
        enrolment=enrolment,
        disconnect_accounts=disconnect_accounts,
        anonymise_history=anonymise_history,
    )
    return enrolment


@transaction.atomic
def set_visibility(actor: Actor, enrolment: Enrolment, *, visible: bool) -> Enrolment:
    own(actor, enrolment.person_id)
    if enrolment.status == Enrolment.Status.ENDED:
        raise ValidationError(_("This enrolment has ended."))
    before = enrolment.individual_visibility
    enrolment.individual_visibility = visible
    enrolment.save(update_fields=["individual_visibility"])
    audit.record(
        "enrolment.visibility_changed",
        organisation=actor.organisation,
        actor=actor,
        target=enrolment,
        before={"individual_visibility": before},
        after={"individual_visibility": visible},
    )
    return enrolment


@transaction.atomic
def set_report_consent(actor: Actor, enrolment: Enrolment, *, consent: bool) -> Enrolment:
    """The person's own choice; withdrawing it is always possible, giving it only where asked."""
    if not allowed(actor, "contributions.manage_own") or actor.person is None:
        raise PermissionDenied
    if actor.person.pk != enrolment.person_id:
        raise PermissionDenied
    if consent and enrolment.status == Enrolment.Status.ENDED:
        raise ValidationError(_("This enrolment has ended."))
    if consent and not enrolment.ambassador_type.counts_in_evaluation:
        raise ValidationError(
            _(
                "Your ambassador type in this program does not count in evaluation: "
                "there is no contribution report to allow."
            )
        )
    before = enrolment.contribution_report_consent
    enrolment.contribution_report_consent = consent
    enrolment.save(update_fields=["contribution_report_consent"])
    audit.record(
        "enrolment.report_consent_changed",
        organisation=actor.organisation,
        actor=actor,
        target=enrolment,
        before={"contribution_report_consent": before},
        after={"contribution_report_consent": consent},
    )
    return enrolment


@transaction.atomic
def confirm_review(
    actor: Actor, enrolment: Enrolment, *, ambassador_type: AmbassadorType
) -> Enrolment:
    """After a change of position, the person keeps their type or takes the suggested one."""
    own(actor, enrolment.person_id)
    if not enrolment.needs_review:
        raise ValidationError(_("Nothing to review in this enrolment."))
    allowed_types = {enrolment.ambassador_type_id, enrolment.suggested_type_id}
    if ambassador_type.pk not in allowed_types:
        raise ValidationError({"ambassador_type": _("Keep your type or choose the suggested one.")})
    before = enrolment.ambassador_type.kind
    enrolment.ambassador_type = ambassador_type
    enrolment.review_reason = ""
    enrolment.review_requested_at = None
    enrolment.suggested_type = None
    enrolment.save()
    audit.record(
        "enrolment.review_confirmed",
        organisation=actor.organisation,
        actor=actor,
        target=enrolment,
        before={"ambassador_type": before},
        after={"ambassador_type": ambassador_type.kind},
    )
    return enrolment


# --- Lifecycle (called by the receivers of people's signals) ----------------------------


@transaction.atomic
def end_for_departure(person: Person, actor: Actor | None) -> None:
    now = timezone.now()
    ended = []
    for enrolment in Enrolment.objects.filter(person=person, status__in=CURRENT):
        _end(enrolment, now)
        enrolment.save()
        ended.append(enrolment.pk)
        audit.record(
            "enrolment.ended_on_departure",
            organisation=person.organisation,
            actor=actor,
            target=enrolment,
        )
        _announce_end(enrolment, "departure")
    expired = Invitation.objects.filter(person=person, status__in=Invitation.OPEN).update(
        status=Invitation.Status.EXPIRED
    )
    if ended or expired:
        audit.record(
            "programs.person_departed",
            organisation=person.organisation,
            actor=actor,
            target=person,
            after={"enrolments_ended": len(ended), "invitations_expired": expired},
        )


@transaction.atomic
def end_alumni_enrolments(person: Person) -> int:
    """The alumni space closed (``people.alumni_offer_ended``): the person's current alumni
    enrolments end and their open alumni invitations expire."""
    now = timezone.now()
    ended = 0
    current = Enrolment.objects.filter(
        person=person, status__in=CURRENT, ambassador_type__kind=AmbassadorKind.ALUMNI
    ).select_related("person__organisation")
    for enrolment in current:
        _end(enrolment, now)
        enrolment.save()
        ended += 1
        audit.record(
            "enrolment.ended_alumni_closed",
            organisation=person.organisation,
            actor=None,
            target=enrolment,
        )
        _announce_end(enrolment, "alumni_closed")
    Invitation.objects.filter(
        person=person, status__in=Invitation.OPEN, ambassador_type__kind=AmbassadorKind.ALUMNI
    ).update(status=Invitation.Status.EXPIRED)
    _drop_role_if_unenrolled(person)
    return ended


MISSION_WORDS = ("recrut", "talent", "commercial", "vente", "sales", "account", "marketing")
DESIGNATED_WORDS = ("direct", "head", "chief", "chef", "expert", "vp", "président")


def suggest_kind(job_title: str, department: str) -> str | None:
    text = f"{job_title} {department}".lower()
    if "community" in text:
        return AmbassadorKind.COMMUNITY_MANAGER
    if any(word in text for word in MISSION_WORDS):
        return AmbassadorKind.MISSION
    if any(word in text for word in DESIGNATED_WORDS):
        return AmbassadorKind.DESIGNATED
    return None


def _describe_change(before: dict[str, Any], after: dict[str, Any]) -> str:
    parts = [
        f"{name.replace('_', ' ')}: {before.get(name) or '—'} → {after.get(name) or '—'}"
        for name in sorted(after)
    ]
    return ("; ".join(parts))[:300]


@transaction.atomic
def request_reviews(
    person: Person, actor: Actor | None, before: dict[str, Any], after: dict[str, Any]
) -> list[Enrolment]:
    """Marks each current enrolment "to review"; nothing changes until the person confirms."""
    enrolments = list(
        Enrolment.objects.filter(person=person, status__in=CURRENT).select_related(
            "ambassador_type"
        )
    )
    if not enrolments:
        return []
    department = person.department.name if person.department_id else ""  # type: ignore[union-attr]
    kind = suggest_kind(person.job_title, department)
    suggested = (
        AmbassadorType.objects.filter(organisation=person.organisation, kind=kind).first()
        if kind
        else None
    )
    reason = _describe_change(before, after)
    now = timezone.now()
    for enrolment in enrolments:
        enrolment.review_reason = reason
        enrolment.review_requested_at = now
        enrolment.suggested_type = suggested or enrolment.ambassador_type
        enrolment.save(update_fields=["review_reason", "review_requested_at", "suggested_type"])
        audit.record(
            "enrolment.review_requested",
            organisation=person.organisation,
            actor=actor,
            target=enrolment,
            after={"reason": reason, "suggested_type": enrolment.suggested_type.kind},
        )
        on_commit(tasks.send_review_mail, enrolment.pk)
    return enrolments
