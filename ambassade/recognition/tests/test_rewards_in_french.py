"""Every rewards page, read in French by the person and by the team, says nothing in
English and shows no raw code: statuses, buttons and messages are translated."""

from __future__ import annotations

import pytest
from django.conf import settings

from ambassade.recognition import rewards
from ambassade.recognition.models import RewardRequest
from ambassade.recognition.tests.rewards_helpers import a_reward, give_points
from ambassade.sharing.tests.conftest import as_actor
from ambassade.testing.french import FrenchReader

pytestmark = pytest.mark.django_db


def test_the_rewards_pages_speak_french(persona, enrolled, program, client_for) -> None:
    give_points(enrolled, 100)
    mug = a_reward(persona.organisation, cost=30, stock=2, description="Un mug en grès.")
    a_reward(persona.organisation, cost=500, stock=0)
    closed = a_reward(persona.organisation, cost=10)
    closed.eligible.set([program.__class__.objects.create(organisation=program.organisation)])
    waiting = rewards.request_reward(as_actor(enrolled), mug, "Bleu")
    sent = rewards.request_reward(as_actor(enrolled), mug)
    rewards.approve(as_actor(persona.comms), sent, "En route")
    rewards.mark_sent(as_actor(persona.comms), sent)
    assert RewardRequest.objects.count() == 2

    pages = {
        enrolled: [
            "/me/recognition/rewards/",
            f"/me/recognition/rewards/{mug.pk}/request",
        ],
        persona.comms: [
            "/console/recognition/rewards/",
            f"/console/recognition/rewards/{mug.pk}/",
            "/console/recognition/rewards/queue/",
            "/console/recognition/rewards/queue/?status=sent",
        ],
    }
    reader = FrenchReader()
    problems: set[str] = set()
    for person, urls in pages.items():
        client = client_for(person)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            problems |= reader.problems_in_page(url, response.content.decode())
    assert not problems, sorted(problems)
    page = client_for(enrolled)
    page.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    mine = page.get("/me/recognition/rewards/").content.decode()
    assert "Vous avez 40 points à dépenser." in mine and "Envoyée" in mine
    refused = page.post(f"/me/recognition/rewards/{closed.pk}/request").content.decode()
    assert "Cette récompense est réservée aux ambassadeurs d’autres programmes." in refused
    assert waiting.status == "requested"


def test_the_audit_log_reads_reward_changes_in_french(persona, client_for) -> None:
    persona.marketer.first_name, persona.marketer.last_name = "Inès", "Garnier"
    persona.marketer.save()
    mug = rewards.create_reward(as_actor(persona.marketer), name="Mug", cost=30, stock=2)
    rewards.change_reward(as_actor(persona.marketer), mug, stock=5)
    rewards.retire_reward(as_actor(persona.marketer), mug)
    client = client_for(persona.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/console/audit/").content.decode()
    assert "Inès Garnier a ajouté la récompense Mug" in page
    assert "Inès Garnier a modifié la récompense Mug" in page
    assert "Inès Garnier a retiré la récompense Mug" in page
    assert "Quantité disponible : 2 → 5" in page
