"""Where a person stands, for the page they land on after signing in.

The apps above people know the facts (invitations, programs, networks, shares): each
answers the ``landing`` signal with cards; this module only gathers and orders them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from ambassade.people.signals import landing


@dataclass(frozen=True)
class Card:
    kind: str  # "invitation", "program", "step" or "progress" (something under way)
    title: str
    url: str
    action: str = ""  # the link's words
    text: str = ""
    order: int = 100  # among steps, the smallest comes next


def where_they_are(person: Any) -> dict[str, Any]:
    answers = landing.send(sender=None, person=person)
    cards = [card for _, answer in answers for card in cast(list[Card], answer)]
    steps = sorted((card for card in cards if card.kind == "step"), key=lambda card: card.order)
    return {
        "invitations": [card for card in cards if card.kind == "invitation"],
        "programs": [card for card in cards if card.kind == "program"],
        "under_way": [card for card in cards if card.kind == "progress"],
        "next_step": steps[0] if steps else None,
        "later_steps": steps[1:],
    }
