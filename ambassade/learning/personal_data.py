"""What training knows about a person: their quiz attempts and results.

Results describe the person (what they answered, what they passed): erasure deletes them.
The progress report counts the people concerned now, so no total is falsified."""

from __future__ import annotations

from typing import Any

from ambassade.core.personal_data import anonymiser, exporter
from ambassade.learning.models import Attempt
from ambassade.people.models import Person


@exporter("training")
def export_training(person: Person) -> list[dict[str, Any]]:
    attempts = Attempt.objects.filter(person=person).select_related("module", "version")
    return [
        {
            "module": attempt.module.title_en or attempt.module.title_fr,
            "version": attempt.version.number,
            "started_at": attempt.started_at.isoformat(),
            "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
            "answers": attempt.answers,
            "score": attempt.score,
            "passed": attempt.passed,
        }
        for attempt in attempts.order_by("started_at", "pk")
    ]


@anonymiser
def forget_training(person: Person) -> None:
    Attempt.objects.filter(person=person).delete()
