"""What campaigns know about a person: the challenges they completed and their calendar
addresses. Erasure deletes both: an address must stop answering, and a completion only
says who was rewarded (the points themselves are the ledger's)."""

from __future__ import annotations

from typing import Any

from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person
from ambassade.recognition.models import CalendarFeed, ChallengeCompletion


@exporter("challenges")
def export_challenges(person: Person) -> dict[str, list[dict[str, Any]]]:
    completions = ChallengeCompletion.objects.filter(person=person).select_related("challenge")
    feeds = CalendarFeed.objects.filter(owner=person).select_related("program")
    return {
        "completed": [
            {"challenge": done.challenge.name, "completed_at": done.completed_at.isoformat()}
            for done in completions.order_by("completed_at", "pk")
        ],
        "calendar_addresses": [
            {
                "program": feed.program.name,
                "created_at": feed.created_at.isoformat(),
                "revoked_at": feed.revoked_at.isoformat() if feed.revoked_at else None,
            }
            for feed in feeds.order_by("created_at", "pk")
        ],
    }


@anonymiser
def forget_challenges(person: Person) -> None:
    ChallengeCompletion.objects.filter(person=person).delete()
    CalendarFeed.objects.filter(owner=person).delete()
