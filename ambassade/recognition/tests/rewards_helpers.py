"""What the rewards tests share: points to spend and a reward in Acme's catalogue."""

from __future__ import annotations

import uuid
from typing import Any

from ambassade.core.roles import Role
from ambassade.programs.models import AmbassadorType, Enrolment
from ambassade.recognition import ledger
from ambassade.recognition.models import EntryReason, Reward
from ambassade.testing.factories import PersonFactory


def give_points(person: Any, points: int) -> None:
    ledger.grant(person, None, EntryReason.CHALLENGE, points, key=f"test:{uuid.uuid4()}")


def a_reward(organisation: Any, *, cost: int = 40, stock: int = 3, **values: Any) -> Reward:
    return Reward.objects.create(
        organisation=organisation, name="Mug Ambassade", cost=cost, stock=stock, **values
    )


def ambassadors(persona: Any, program: Any, count: int, points: int) -> list[Any]:
    """``count`` people actively enrolled in the program, each with ``points`` to spend."""
    kind, _ = AmbassadorType.objects.get_or_create(
        organisation=persona.organisation, kind="supporter"
    )
    people = []
    for number in range(count):
        person: Any = PersonFactory(
            organisation=persona.organisation,
            email=f"ambassador{number}@example.com",
            roles=[Role.AMBASSADOR],
        )
        Enrolment.objects.create(
            program=program, person=person, ambassador_type=kind, status=Enrolment.Status.ACTIVE
        )
        give_points(person, points)
        people.append(person)
    return people
