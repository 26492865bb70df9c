"""What a person reads of their own points: the balances and each entry with its reason.

The page and the API read the same lines, so both say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from ambassade.core import display
from ambassade.people.models import Person
from ambassade.recognition.models import LedgerEntry

PAGE_SIZE = 50
# The keys of an entry's detail that name what it was for, in order of preference.
WHAT_KEYS = ("item", "contribution", "module", "challenge", "reward")


@dataclass(frozen=True)
class Line:
    id: int
    occurred_at: datetime
    reason: str
    reason_name: str
    points: int
    spendable: int
    what: str
    network: str
    network_name: str
    clicks: int | None
    note: str
    corrects_id: int | None


def entries_of(person: Person) -> QuerySet[LedgerEntry]:
    """The person's own entries, the latest first."""
    return LedgerEntry.objects.filter(
        organisation_id=person.organisation_id, person=person
    ).order_by("-occurred_at", "-id")


def _what(detail: dict[str, Any], language: str) -> str:
    if language != "fr" and detail.get("module_en"):
        return str(detail["module_en"])
    for key in WHAT_KEYS:
        if detail.get(key):
            return str(detail[key])
    return ""


def line_of(entry: LedgerEntry, language: str) -> Line:
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    network = str(detail.get("network") or "")
    clicks = detail.get("clicks")
    return Line(
        id=entry.pk,
        occurred_at=entry.occurred_at,
        reason=entry.reason,
        reason_name=display.name("entry_reason", entry.reason),
        points=entry.points,
        spendable=entry.spendable,
        what=_what(detail, language),
        network=network,
        network_name=display.name("network", network) if network else "",
        clicks=clicks if isinstance(clicks, int) else None,
        note=entry.note,
        corrects_id=entry.corrects_id,
    )
