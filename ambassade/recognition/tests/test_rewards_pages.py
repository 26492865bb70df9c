"""The rewards pages: marketing adds a reward (field errors on bad input), an ambassador
requests it after a confirmation, internal communications approves and sends it; the
refusals say why and write nothing."""

from __future__ import annotations

import pytest

from ambassade.core.models import AuditEvent
from ambassade.recognition import ledger
from ambassade.recognition.models import LedgerEntry, RequestStatus, Reward, RewardRequest
from ambassade.recognition.tests.rewards_helpers import a_reward, give_points

pytestmark = pytest.mark.django_db
REWARD = {"name": "Sweat à capuche", "description": "Taille au choix.", "cost": "60", "stock": "2"}


def test_a_reward_is_requested_approved_and_sent(persona, enrolled, program, client_for) -> None:
    marketer = client_for(persona.marketer)
    refused = marketer.post("/console/recognition/rewards/", REWARD | {"cost": "0", "name": " "})
    assert refused.status_code == 200
    assert "The cost is a whole number of points, from 1 to 1,000,000." in refused.content.decode()
    assert not Reward.objects.exists()
    added = marketer.post("/console/recognition/rewards/", REWARD | {"eligible": [program.pk]})
    assert added.status_code == 302
    reward = Reward.objects.get()
    assert list(reward.eligible.all()) == [program]
    created = AuditEvent.objects.get(action="recognition.reward_created")
    assert created.after["eligible"] == ["Marque employeur"] and created.after["cost"] == 60

    give_points(enrolled, 100)
    ambassador = client_for(enrolled)
    catalogue = ambassador.get("/me/recognition/rewards/").content.decode()
    assert "Sweat à capuche" in catalogue and "You have 100 points to spend." in catalogue
    confirm = ambassador.get(f"/me/recognition/rewards/{reward.pk}/request").content.decode()
    assert "You will have 40 points left to spend." in confirm
    assert not RewardRequest.objects.exists()  # looking is not requesting
    done = ambassador.post(f"/me/recognition/rewards/{reward.pk}/request", {"note": "Taille M"})
    assert done.status_code == 302
    request = RewardRequest.objects.get()
    assert (request.status, request.cost, request.note) == (RequestStatus.REQUESTED, 60, "Taille M")
    assert ledger.balances(enrolled) == ledger.Balances(100, 40)
    reward.refresh_from_db()
    assert reward.stock == 1

    assert ambassador.get("/console/recognition/rewards/queue/").status_code == 403
    approve = f"/console/recognition/rewards/queue/{request.pk}/approve"
    assert ambassador.post(approve).status_code == 403
    comms = client_for(persona.comms)
    queue = comms.get("/console/recognition/rewards/queue/").content.decode()
    assert "Sweat à capuche" in queue and "Taille M" in queue
    early = comms.post(f"/console/recognition/rewards/queue/{request.pk}/send", follow=True)
    assert "Approve the request before marking it sent." in early.content.decode()
    comms.post(f"/console/recognition/rewards/queue/{request.pk}/approve", {"answer": "En route"})
    comms.post(f"/console/recognition/rewards/queue/{request.pk}/send", {"shown": "approved"})
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT and request.answer == "En route"
    assert request.decided_by == persona.comms
    late = comms.post(f"/console/recognition/rewards/queue/{request.pk}/cancel", follow=True)
    assert "This reward was sent: the request can no longer be cancelled." in late.content.decode()
    assert ledger.balances(enrolled).spendable == 40
    mine = ambassador.get("/me/recognition/rewards/").content.decode()
    assert "Sent" in mine and "En route" in mine
    assert list(
        AuditEvent.objects.filter(action__startswith="recognition.reward")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == [
        "recognition.reward_created",
        "recognition.reward_requested",
        "recognition.reward_approved",
        "recognition.reward_sent",
    ]


def test_refusals_say_why_and_write_nothing(persona, enrolled, program, client_for) -> None:
    ambassador = client_for(enrolled)
    give_points(enrolled, 30)
    dear = a_reward(persona.organisation, cost=40)
    page = ambassador.post(f"/me/recognition/rewards/{dear.pk}/request").content.decode()
    assert "This costs 40 points and you have 30 to spend." in page
    gone = a_reward(persona.organisation, cost=10, stock=0)
    page = ambassador.post(f"/me/recognition/rewards/{gone.pk}/request").content.decode()
    assert "No more of this reward is available." in page
    other = program.__class__.objects.create(organisation=persona.organisation, name="Ventes")
    closed = a_reward(persona.organisation, cost=10)
    closed.eligible.set([other])
    page = ambassador.post(f"/me/recognition/rewards/{closed.pk}/request").content.decode()
    assert "This reward is for the ambassadors of other programs." in page
    assert not RewardRequest.objects.exists()
    assert LedgerEntry.objects.filter(person=enrolled).count() == 1
    assert Reward.objects.get(pk=gone.pk).stock == 0


def test_the_person_cancels_their_waiting_request_once(persona, enrolled, client_for) -> None:
    ambassador = client_for(enrolled)
    give_points(enrolled, 50)
    reward = a_reward(persona.organisation, cost=40, stock=1)
    ambassador.post(f"/me/recognition/rewards/{reward.pk}/request")
    request = RewardRequest.objects.get()
    assert ledger.balances(enrolled).spendable == 10
    url = f"/me/recognition/rewards/requests/{request.pk}/cancel"
    assert ambassador.post(url).status_code == 302
    again = ambassador.post(url, follow=True).content.decode()
    assert "This request is already cancelled: its points were returned." in again
    assert ledger.balances(enrolled).spendable == 50
    assert LedgerEntry.objects.filter(person=enrolled, reason="reward_returned").count() == 1
    reward.refresh_from_db()
    assert reward.stock == 1
    assert client_for(persona.employee).post(url).status_code == 404  # not theirs


def test_an_approved_request_is_the_team_s_to_cancel(persona, enrolled, client_for) -> None:
    give_points(enrolled, 50)
    reward = a_reward(persona.organisation, cost=40, stock=1)
    client_for(enrolled).post(f"/me/recognition/rewards/{reward.pk}/request")
    request = RewardRequest.objects.get()
    hr = client_for(persona.hr)
    hr.post(f"/console/recognition/rewards/queue/{request.pk}/approve")
    refused = client_for(enrolled).post(
        f"/me/recognition/rewards/requests/{request.pk}/cancel", follow=True
    )
    assert "ask the team that sends rewards to cancel it" in refused.content.decode()
    hr.post(f"/console/recognition/rewards/queue/{request.pk}/cancel", {"answer": "Plus en stock"})
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED and request.returned is not None
    assert ledger.balances(enrolled).spendable == 50


def test_marketing_edits_and_retires_a_reward(persona, client_for) -> None:
    reward = a_reward(persona.organisation, cost=40, stock=1)
    marketer = client_for(persona.marketer)
    url = f"/console/recognition/rewards/{reward.pk}/"
    bad = marketer.post(url, REWARD | {"stock": "100001"}).content.decode()
    assert "The stock is the number still available, from 0 to 100,000." in bad
    assert marketer.post(url, REWARD | {"stock": "5"}).status_code == 302
    reward.refresh_from_db()
    assert (reward.name, reward.stock, reward.cost) == ("Sweat à capuche", 5, 60)
    marketer.post(f"/console/recognition/rewards/{reward.pk}/retire")
    reward.refresh_from_db()
    assert not reward.active
    assert client_for(persona.ambassador).get("/me/recognition/rewards/").status_code == 200
    assert (
        "Sweat à capuche"
        not in client_for(persona.ambassador).get("/me/recognition/rewards/").content.decode()
    )
    assert client_for(persona.sales).get("/console/recognition/rewards/").status_code == 403
    assert client_for(persona.outsider).get(url).status_code == 404
