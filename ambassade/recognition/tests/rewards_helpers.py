"""What the rewards tests share: points to spend and a reward in Acme's catalogue."""

from __future__ import annotations

import uuid
from typing import Any

from ambassade.recognition import ledger
from ambassade.recognition.models import EntryReason, Reward


def give_points(person: Any, points: int) -> None:
    ledger.grant(person, None, EntryReason.CHALLENGE, points, key=f"test:{uuid.uuid4()}")


def a_reward(organisation: Any, *, cost: int = 40, stock: int = 3, **values: Any) -> Reward:
    return Reward.objects.create(
        organisation=organisation, name="Mug Ambassade", cost=cost, stock=stock, **values
    )
