"""The people app's part of a personal-data export, and what it forgets on erasure.

The Person row itself is anonymised by ``actions.anonymise_person`` after every app's
anonymiser has run, so the rows other apps point at stay in place.
"""

from __future__ import annotations

from typing import Any

from ambassade.core.models import AuditEvent
from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import (
    AccountInvitation,
    ApiToken,
    HrNote,
    PeopleImport,
    Person,
    SelfAssessment,
)


@exporter("profile")
def export_profile(person: Person) -> dict[str, Any]:
    return {
        "organisation": person.organisation.name,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "job_title": person.job_title,
        "department": person.department.name if person.department else None,
        "site": person.site.name if person.site else None,
        "languages": person.languages,
        "manager": person.manager.full_name if person.manager else None,
        "employment_status": person.employment_status,
        "membership": person.membership,
        "start_date": person.start_date,
        "end_date": person.end_date,
        "alumni": person.alumni,
        "alumni_since": person.alumni_since,
        "roles": sorted(person.role_assignments.values_list("role", flat=True)),
        "created_at": person.created_at,
    }


@exporter("account")
def export_account(person: Person) -> dict[str, Any] | None:
    user = person.user
    if user is None:
        return None
    return {
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "time_zone": user.time_zone,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


@exporter("self_assessment")
def export_self_assessment(person: Person) -> dict[str, Any] | None:
    answers = SelfAssessment.objects.filter(person=person).first()
    if answers is None:
        return None
    return {
        "social_comfort": answers.social_comfort,
        "motivation": answers.motivation,
        "willingness_to_learn": answers.willingness_to_learn,
        "networks": answers.networks,
        "comment": answers.comment,
        "updated_at": answers.updated_at,
    }


@exporter("hr_notes")
def export_hr_notes(person: Person) -> list[dict[str, Any]]:
    # The right of access covers what HR wrote about the person.
    return [
        {"written_at": note.created_at, "author": note.author_label, "text": note.text}
        for note in HrNote.objects.filter(person=person)
    ]


@exporter("api_tokens")
def export_api_tokens(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "name": token.name,
            "prefix": token.prefix,
            "scopes": token.scopes,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "revoked_at": token.revoked_at,
        }
        for token in ApiToken.objects.filter(person=person)
    ]


@exporter("activity_log")
def export_activity(person: Person) -> list[dict[str, Any]]:
    """What the audit log recorded about the person or as done by them."""
    events = AuditEvent.objects.filter(organisation=person.organisation_id).filter(
        target_type=person._meta.label_lower, target_id=str(person.pk)
    )
    if person.user_id is not None:
        events = events | AuditEvent.objects.filter(
            organisation=person.organisation_id, actor_id=person.user_id
        )
    return [
        {"time": event.created_at, "action": event.action, "object": event.target_label}
        for event in events.order_by("created_at")[:5000]
    ]


@anonymiser
def forget_people_data(person: Person) -> None:
    SelfAssessment.objects.filter(person=person).delete()
    HrNote.objects.filter(person=person).delete()
    AccountInvitation.objects.filter(person=person).delete()
    ApiToken.objects.filter(person=person).delete()
    # Previews not yet applied may hold the person's line of a CSV.
    previews = PeopleImport.objects.filter(organisation=person.organisation_id, status="preview")
    email = person.email.lower()
    for preview in previews:
        if any(row["values"].get("email", "").lower() == email for row in preview.rows):
            preview.status, preview.rows, preview.plan = "discarded", [], []
            preview.save(update_fields=["status", "rows", "plan"])
