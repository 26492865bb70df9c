"""Read-only questions about programs, asked by pages, the API and other apps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core.models import Organisation
from ambassade.people.models import Person
from ambassade.programs.models import (
    KINDS_WITH_OWN_CHARTER,
    AmbassadorKind,
    AmbassadorType,
    CharterVersion,
    Enrolment,
    Invitation,
    Program,
    charter_kind,
)


@dataclass(frozen=True)
class ShareDecision:
    allowed: bool
    reason: str = ""
    # Where the person can lift the refusal (a module to pass, a charter to accept), if
    # anywhere, and the words of that link.
    link: str = ""
    link_label: str = ""

    def __bool__(self) -> bool:
        return self.allowed


# A share gate is asked by every path that posts or connects an account, after the
# charter: apps above sharing (training, for one) close sharing for their own reasons
# without sharing or programs importing them. ``program`` is None when a person connects
# an account; ``network`` is None when no network is chosen yet (the composer's page).
# A gate answers None (or an allowed decision) to let the person through.
ShareGate = Callable[[Person, "Program | None", "str | None"], "ShareDecision | None"]
_share_gates: list[ShareGate] = []


def register_share_gate(gate: ShareGate) -> None:
    """Called from an app's ``ready``; registering the same function twice keeps one."""
    if gate not in _share_gates:
        _share_gates.append(gate)


def _gates(person: Person, program: Program | None, network: str | None) -> ShareDecision:
    for gate in _share_gates:
        decision = gate(person, program, network)
        if decision is not None and not decision.allowed:
            return decision
    return ShareDecision(True)


def may_connect(person: Person, network: str) -> ShareDecision:
    """Whether the person may connect an account of this network now, and why not."""
    return _gates(person, None, network)


def may_share(person: Person, program: Program, network: str | None = None) -> ShareDecision:
    """Whether the person may share on behalf of the program right now, and why not.

    The Sharing feature calls this before every share, with the network when it is known:
    consent is checked at the moment of acting, not only at enrolment, and so are the
    registered gates.
    """
    if person.organisation_id != program.organisation_id:
        return ShareDecision(False, _("This program belongs to another organisation."))
    left = person.employment_status == "left"
    if left and not person.alumni:
        return ShareDecision(False, _("People who left the organisation no longer share."))
    if program.status != Program.Status.ACTIVE:
        return ShareDecision(False, _("The program is archived."))
    enrolment = (
        Enrolment.objects.filter(program=program, person=person)
        .select_related("ambassador_type")
        .first()
    )
    if enrolment is None or enrolment.status == Enrolment.Status.ENDED:
        return ShareDecision(False, _("You are not enrolled in this program."))
    if enrolment.status == Enrolment.Status.PAUSED:
        return ShareDecision(
            False, _("A new version of the charter is waiting for your acceptance.")
        )
    kind = enrolment.ambassador_type.kind
    if left and kind != AmbassadorKind.ALUMNI:
        # An alumni shares only as an alumni ambassador (docs/decisions/0039).
        return ShareDecision(False, _("You are not enrolled in this program."))
    if kind in KINDS_WITH_OWN_CHARTER:
        # Alumni and partners share under their own charter's current version, asked
        # again at every share: the program's general charter never stands in for it.
        current = charter_of(enrolment)
        if current is None or enrolment.accepted_version_id != current.pk:
            if kind == AmbassadorKind.ALUMNI:
                return ShareDecision(
                    False, _("Accept the alumni charter of this program before sharing.")
                )
            return ShareDecision(
                False, _("Accept the partner charter of this program before sharing.")
            )
    return _gates(person, program, network)


def ambassador_types(organisation: Organisation) -> list[AmbassadorType]:
    types = list(AmbassadorType.objects.filter(organisation=organisation))
    if not types:
        from ambassade.programs.actions import ensure_default_types

        types = ensure_default_types(organisation)
    return types


def programs_of(organisation: Organisation) -> QuerySet[Program]:
    """Programs with what the list shows, in a fixed number of queries."""
    current = Q(enrolments__status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED])
    return (
        Program.objects.filter(organisation=organisation)
        .annotate(
            ambassadors=Count("enrolments", filter=current, distinct=True),
            charter_version=Max(
                "charter_versions__number",
                filter=Q(charter_versions__status=CharterVersion.Status.PUBLISHED),
            ),
        )
        .prefetch_related("owners")
        .order_by("status", "name", "id")  # aggregation drops Meta.ordering
    )


def published_charter(program: Program, kind: str = "") -> CharterVersion | None:
    """The current charter of the program for ambassadors of this kind: the general one,
    or the kind's own for KINDS_WITH_OWN_CHARTER (never the general one in its stead)."""
    return (
        CharterVersion.objects.filter(
            program=program,
            status=CharterVersion.Status.PUBLISHED,
            ambassador_kind=charter_kind(kind),
        )
        .order_by("-number")
        .first()
    )


def charter_of(enrolment: Enrolment) -> CharterVersion | None:
    return published_charter(enrolment.program, enrolment.ambassador_type.kind)


def funnel(invitations: QuerySet[Invitation]) -> dict[str, Any]:
    """How many were invited, opened the invitation, accepted, declined, let it expire."""
    counts = invitations.aggregate(
        invited=Count("id"),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        accepted=Count("id", filter=Q(status=Invitation.Status.ACCEPTED)),
        declined=Count("id", filter=Q(status=Invitation.Status.DECLINED)),
        expired=Count("id", filter=Q(status=Invitation.Status.EXPIRED)),
    )
    invited = counts["invited"] or 0
    counts["acceptance_rate"] = round(100 * counts["accepted"] / invited) if invited else None
    return counts


def open_invitations_of(person: Person) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        person=person, status__in=Invitation.OPEN, expires_at__gt=timezone.now()
    ).select_related("program", "ambassador_type")


def enrolments_of(person: Person) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(person=person).select_related(
        "program", "ambassador_type", "accepted_version", "suggested_type"
    )


def needing_attention(person: Person) -> list[Enrolment]:
    """Enrolments the person must act on: a charter to re-accept or a type to confirm."""
    return list(
        Enrolment.objects.filter(person=person)
        .exclude(status=Enrolment.Status.ENDED)
        .filter(Q(status=Enrolment.Status.PAUSED) | Q(review_requested_at__isnull=False))
        .select_related("program")
    )


def joinable_programs(person: Person) -> QuerySet[Program]:
    """Active self-service programs the person is not already in and not invited to; for
    an alumni ambassador, only those open to alumni."""
    programs = Program.objects.all()
    if person.employment_status == "left":
        programs = programs.filter(open_to_alumni=True)
    return (
        programs.filter(
            organisation_id=person.organisation_id,
            status=Program.Status.ACTIVE,
            self_service=True,
        )
        .exclude(
            enrolments__person=person,
            enrolments__status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED],
        )
        .exclude(invitations__person=person, invitations__status__in=Invitation.OPEN)
    )
