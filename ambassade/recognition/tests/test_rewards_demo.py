"""The demo: a catalogue, the printed ambassador's requests at each step (one sent, one
waiting) and a colleague's waiting request in the comms queue."""

from __future__ import annotations

from datetime import date

import pytest

from ambassade.core import demo
from ambassade.people.models import Person
from ambassade.recognition import ledger
from ambassade.recognition.models import EntryReason, LedgerEntry, Reward, RewardRequest

pytestmark = pytest.mark.django_db


def test_the_demo_has_rewards_at_every_step(client) -> None:
    demo.build(people=30, days=14, seed=3, today=date.today(), progress=lambda _: None)
    assert Reward.objects.count() == 4
    ambassador = Person.objects.get(email="ambassadeur@verdier.example")
    mine = sorted(RewardRequest.objects.filter(person=ambassador).values_list("status", flat=True))
    assert mine == ["requested", "sent"]
    spent = LedgerEntry.objects.filter(person=ambassador, reason=EntryReason.REWARD)
    assert sorted(spent.values_list("spendable", flat=True)) == [-120, -30]
    assert ledger.balances(ambassador).spendable >= 0
    assert RewardRequest.objects.exclude(person=ambassador).filter(status="requested").exists()
    client.force_login(Person.objects.get(email="comms@verdier.example").user)
    queue = client.get("/console/recognition/rewards/queue/").content.decode()
    assert "Sweat à capuche" in queue and "Taille M" in queue
