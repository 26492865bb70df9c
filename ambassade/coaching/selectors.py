"""Read-only questions about coaching, asked by pages, the API and apps above (crisis)."""

from __future__ import annotations

from django.db.models import QuerySet

from ambassade.coaching.models import CoachAssignment
from ambassade.people.models import Person


def coach_of(person: Person) -> Person | None:
    """The person's coach, or None when nobody coaches them (or the coach has left)."""
    found = (
        CoachAssignment.objects.filter(organisation_id=person.organisation_id, ambassador=person)
        .exclude(coach__employment_status="left")
        .select_related("coach")
        .first()
    )
    return found.coach if found else None


def ambassadors_of(coach: Person) -> QuerySet[Person]:
    """The people this coach coaches, in their organisation."""
    return Person.objects.filter(
        organisation_id=coach.organisation_id,
        coach_assignments__coach=coach,
    ).order_by("last_name", "first_name", "id")
