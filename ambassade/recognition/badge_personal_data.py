"""What badges know about a person: the badges they earned and whether they show them.

Imported by the app's ready() (not a ``personal_data`` module, so that the ledger's own
module may take that name). An award describes the person: erasure deletes them, and the
console's counts then count the people who are still there."""

from __future__ import annotations

from typing import Any

from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person
from ambassade.recognition.models import BadgeAward, Profile


@exporter("badges")
def export_badges(person: Person) -> dict[str, Any]:
    shown = Profile.objects.filter(person=person).values_list("show_badges", flat=True).first()
    return {
        "shown_to_colleagues": shown is not False,
        "earned": [
            {
                "badge": award.badge.name,
                "criterion": award.badge.criterion,
                "threshold": award.badge.threshold,
                "awarded_at": award.awarded_at.isoformat(),
            }
            for award in BadgeAward.objects.filter(person=person)
            .select_related("badge")
            .order_by("awarded_at", "pk")
        ],
    }


@anonymiser
def forget_badges(person: Person) -> None:
    BadgeAward.objects.filter(person=person).delete()
