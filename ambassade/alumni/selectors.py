"""Read-only questions about the alumni directory."""

from __future__ import annotations

from django.db.models import QuerySet

from ambassade.alumni.models import DirectoryEntry
from ambassade.core.models import Organisation
from ambassade.people.models import EmploymentStatus, Person


def entry_of(person: Person) -> DirectoryEntry | None:
    return DirectoryEntry.objects.filter(person=person).first()


def is_listed(person: Person) -> bool:
    return DirectoryEntry.objects.filter(person=person, listed=True).exists()


def directory(organisation: Organisation) -> QuerySet[DirectoryEntry]:
    """Listed people who are still alumni ambassadors (a closed space drops out at once)."""
    return DirectoryEntry.objects.filter(
        organisation=organisation,
        listed=True,
        person__alumni=True,
        person__employment_status=EmploymentStatus.LEFT,
        person__anonymised_at__isnull=True,
    ).select_related("person")
