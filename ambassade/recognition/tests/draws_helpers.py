"""What the draws tests share: a published draw whose period is over, and points earned
on a given day."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from ambassade.recognition import draw_procedure, draws
from ambassade.recognition.models import Draw, DrawStatus, EntryReason, LedgerEntry


def earned(person: Any, points: int, day: date, reason: str = EntryReason.CHALLENGE) -> None:
    """An entry on that day at noon (UTC), as the ledger writes it (both balances)."""
    LedgerEntry.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        reason=reason,
        points=points,
        spendable=points,
        key=f"test:{uuid.uuid4()}",
        occurred_at=datetime.combine(day, time(12), tzinfo=UTC),
    )


def a_draw(organisation: Any, *, days_ago: int = 0, length: int = 10, **values: Any) -> Draw:
    """A draft whose period ends ``days_ago`` days before today."""
    closes = draws.today() - timedelta(days=days_ago)
    return Draw.objects.create(
        organisation=organisation,
        name=values.pop("name", "Tirage du printemps"),
        prize=values.pop("prize", "Un vélo"),
        rules=values.pop("rules", "Un ticket par point gagné."),
        opens_on=closes - timedelta(days=length),
        closes_on=closes,
        **values,
    )


def published(organisation: Any, **values: Any) -> Draw:
    """Published while it is open (as publish() would), the seed's hash only shown."""
    draw = a_draw(organisation, **values)
    draw.secret = uuid.uuid4().hex
    draw.seed_hash = draw_procedure.hash_of(draw.secret)
    draw.status = DrawStatus.PUBLISHED
    draw.save()
    return draw
