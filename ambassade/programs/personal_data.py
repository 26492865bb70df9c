"""What the programs know about a person, for the export and for anonymisation."""

from __future__ import annotations

from typing import Any

from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person
from ambassade.programs.models import CharterAcceptance, Enrolment, Invitation


@exporter("programs")
def export_programs(person: Person) -> dict[str, Any]:
    enrolments = Enrolment.objects.filter(person=person).select_related(
        "program", "ambassador_type"
    )
    acceptances = CharterAcceptance.objects.filter(person=person).select_related("version__program")
    invitations = Invitation.objects.filter(person=person).select_related("program")
    return {
        "enrolments": [
            {
                "program": enrolment.program.name,
                "ambassador_type": enrolment.ambassador_type.kind,
                "status": enrolment.status,
                "started_at": enrolment.started_at.isoformat(),
                "ended_at": enrolment.ended_at.isoformat() if enrolment.ended_at else None,
                "individual_visibility": enrolment.individual_visibility,
                "history_choice": enrolment.history_choice,
                "disconnect_accounts": enrolment.disconnect_accounts,
                "review_reason": enrolment.review_reason,
            }
            for enrolment in enrolments
        ],
        "charter_acceptances": [
            {
                "program": acceptance.version.program.name,
                "version": acceptance.version.number,
                "content_hash": acceptance.content_hash,
                "accepted_at": acceptance.accepted_at.isoformat(),
                "channel": acceptance.channel,
                "user_agent_family": acceptance.user_agent_family,
            }
            for acceptance in acceptances
        ],
        "invitations": [
            {
                "program": invitation.program.name,
                "source": invitation.source,
                "status": invitation.status,
                "sent_at": invitation.sent_at.isoformat(),
                "opened_at": invitation.opened_at.isoformat() if invitation.opened_at else None,
                "responded_at": (
                    invitation.responded_at.isoformat() if invitation.responded_at else None
                ),
            }
            for invitation in invitations
        ],
    }


@anonymiser
def forget_programs(person: Person) -> None:
    """Keeps the rows (program counts stay right) and drops what describes the person."""
    CharterAcceptance.objects.filter(person=person).update(user_agent_family="")
    Enrolment.objects.filter(person=person).update(review_reason="", individual_visibility=False)
