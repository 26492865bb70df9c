"""What the alumni app knows about a person: their directory entry. Erasure deletes it."""

from __future__ import annotations

from typing import Any

from ambassade.alumni.models import DirectoryEntry
from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person


@exporter("alumni")
def export_alumni(person: Person) -> dict[str, Any]:
    entry = DirectoryEntry.objects.filter(person=person).first()
    if entry is None:
        return {"directory_entry": None}
    return {
        "directory_entry": {
            "listed": entry.listed,
            "current_role": entry.current_role,
            "updated_at": entry.updated_at.isoformat(),
        }
    }


@anonymiser
def forget_alumni(person: Person) -> None:
    DirectoryEntry.objects.filter(person=person).delete()
