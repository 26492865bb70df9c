"""What recognition knows about a person: here, their reward requests.

On erasure the notes and answers (free text about the person: a size, an address) are
blanked; a request not sent yet is cancelled, its item back in stock for the others. The
requests stay, without those words, so that the stock and the ledger still add up."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person
from ambassade.recognition import ledger, rewards
from ambassade.recognition.models import RequestStatus, Reward, RewardRequest


@exporter("rewards")
def export_rewards(person: Person) -> list[dict[str, Any]]:
    requests = RewardRequest.objects.filter(person=person).select_related("reward")
    return [
        {
            "reward": found.reward.name,
            "cost": found.cost,
            "status": found.status,
            "note": found.note,
            "answer": found.answer,
            "requested_at": found.requested_at.isoformat(),
            "sent_at": found.sent_at.isoformat() if found.sent_at else None,
            "cancelled_at": found.cancelled_at.isoformat() if found.cancelled_at else None,
        }
        for found in requests.order_by("requested_at", "pk")
    ]


@anonymiser
def forget_rewards(person: Person) -> None:
    waiting = RewardRequest.objects.select_for_update().filter(
        person=person, status__in=rewards.OPEN
    )
    for found in waiting:
        found.returned = ledger.give_back(
            person, found.cost, key=f"reward_returned:{found.pk}", detail={"request": found.pk}
        )
        found.status = RequestStatus.CANCELLED
        found.cancelled_at = timezone.now()
        found.save(update_fields=["returned", "status", "cancelled_at", "updated_at"])
        Reward.objects.filter(pk=found.reward_id).update(stock=F("stock") + 1)
    RewardRequest.objects.filter(person=person).update(note="", answer="")
