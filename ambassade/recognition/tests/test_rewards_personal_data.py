"""A person's reward requests are in their data export; erasure blanks their words and
gives the item of a request not sent yet back to the others."""

from __future__ import annotations

import pytest

from ambassade.core import personal_data
from ambassade.recognition import rewards
from ambassade.recognition.models import RequestStatus, Reward, RewardRequest
from ambassade.recognition.tests.rewards_helpers import a_reward, give_points
from ambassade.sharing.tests.conftest import as_actor

pytestmark = pytest.mark.django_db


def test_requests_are_exported_then_forgotten(persona, enrolled) -> None:
    give_points(enrolled, 100)
    mug = a_reward(persona.organisation, cost=30, stock=1)
    cap = a_reward(persona.organisation, cost=20, stock=1)
    waiting = rewards.request_reward(as_actor(enrolled), mug, "12 rue des Lilas")
    sent = rewards.request_reward(as_actor(enrolled), cap, "Taille M")
    rewards.approve(as_actor(persona.hr), sent, "Envoyé au 12 rue des Lilas")
    rewards.mark_sent(as_actor(persona.hr), sent)
    exported = personal_data.collect(enrolled)["rewards"]
    assert [(line["cost"], line["status"], line["note"]) for line in exported] == [
        (30, "requested", "12 rue des Lilas"),
        (20, "sent", "Taille M"),
    ]
    personal_data.anonymise(enrolled)
    assert set(RewardRequest.objects.values_list("note", "answer")) == {("", "")}
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.CANCELLED and waiting.returned is not None
    assert Reward.objects.get(pk=mug.pk).stock == 1
    assert Reward.objects.get(pk=cap.pk).stock == 0
