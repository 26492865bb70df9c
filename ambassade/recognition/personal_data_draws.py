"""What the prize draws know about a person: the draws they entered and what they drew.

Erasure withdraws the person from the draws not drawn yet. A drawn draw's record stays,
its weights and positions unchanged, so that anyone can still recompute its winners; the
verification page names nobody who did not choose to appear on the boards."""

from __future__ import annotations

from typing import Any

from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person
from ambassade.recognition.models import DrawEntry, DrawResult, DrawStatus


@exporter("draws")
def export_draws(person: Person) -> list[dict[str, Any]]:
    results = {result.draw_id: result for result in DrawResult.objects.filter(person=person)}
    entries = DrawEntry.objects.filter(person=person).select_related("draw")
    return [
        {
            "draw": entry.draw.name,
            "entered_at": entry.entered_at.isoformat(),
            "weight": results[entry.draw_id].weight if entry.draw_id in results else None,
            "position": results[entry.draw_id].position if entry.draw_id in results else None,
        }
        for entry in entries.order_by("entered_at", "pk")
    ]


@anonymiser
def forget_draws(person: Person) -> None:
    DrawEntry.objects.filter(person=person).exclude(draw__status=DrawStatus.DRAWN).delete()
