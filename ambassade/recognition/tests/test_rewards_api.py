"""/api/v1/recognition/ rewards: the catalogue, a request, its fulfilment, and the bad
inputs the issue lists, through HTTP in the API's one error format."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ambassade.recognition import ledger
from ambassade.recognition.models import LedgerEntry, RequestStatus, Reward, RewardRequest
from ambassade.recognition.tests.rewards_helpers import a_reward, give_points

pytestmark = pytest.mark.django_db
API = "/api/v1/recognition"


def send(client: Any, method: str, path: str, body: Any = None) -> Any:
    """Without a body, none is sent: the request's note and the team's answer are optional."""
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(f"{API}{path}", data, content_type="application/json")


def test_a_reward_is_created_requested_approved_and_sent(
    persona, enrolled, program, client_for
) -> None:
    hr = client_for(persona.hr)
    bad = send(hr, "post", "/rewards", {"name": " ", "cost": 0, "stock": 100_001})
    assert bad.status_code == 422
    fields = {detail["field"] for detail in bad.json()["error"]["details"]}
    assert fields == {"name", "cost", "stock"}
    assert "Give the reward a name." in bad.content.decode()
    assert send(hr, "post", "/rewards", {"name": "Mug", "cost": "5"}).status_code == 422
    created = send(hr, "post", "/rewards", {"name": "Mug", "cost": 30, "eligible": [program.pk]})
    assert created.status_code == 201, created.content
    reward_id = created.json()["id"]
    assert created.json()["stock"] == 0 and created.json()["eligible"] == [program.pk]

    ambassador = client_for(enrolled)
    give_points(enrolled, 50)
    empty = send(ambassador, "post", f"/rewards/{reward_id}/requests")
    assert empty.status_code == 422
    assert empty.json()["error"]["message"] == "No more of this reward is available."
    assert send(ambassador, "patch", f"/rewards/{reward_id}", {"stock": 1}).status_code == 403
    assert send(hr, "patch", f"/rewards/{reward_id}", {"stock": 1}).json()["stock"] == 1

    listed = ambassador.get(f"{API}/rewards").json()
    assert [(r["id"], r["within_reach"]) for r in listed] == [(reward_id, True)]
    made = send(ambassador, "post", f"/rewards/{reward_id}/requests", {"note": "Bleu"})
    assert made.status_code == 201, made.content
    request_id = made.json()["id"]
    assert made.json()["status"] == "requested" and made.json()["cost"] == 30
    assert ledger.balances(enrolled).spendable == 20
    assert Reward.objects.get(pk=reward_id).stock == 0

    approve = f"/reward-requests/{request_id}/approve"
    assert send(ambassador, "post", approve).status_code == 403
    assert ambassador.get(f"{API}/reward-requests").status_code == 403
    queue = hr.get(f"{API}/reward-requests").json()
    assert [found["id"] for found in queue] == [request_id]
    assert hr.get(f"{API}/reward-requests?status=lost").status_code == 422
    assert send(hr, "post", approve, {"answer": "Demain"}).json()["status"] == "approved"
    again = send(hr, "post", approve)
    assert again.status_code == 422
    assert "Only a request waiting for approval can be approved." in again.content.decode()
    sent = send(hr, "post", f"/reward-requests/{request_id}/send")
    assert sent.json()["status"] == "sent" and sent.json()["answer"] == "Demain"
    assert hr.get(f"{API}/reward-requests?status=sent").json()[0]["id"] == request_id
    assert hr.get(f"{API}/reward-requests").json() == []
    mine = ambassador.get(f"{API}/me/reward-requests").json()
    assert [(found["id"], found["status"]) for found in mine] == [(request_id, "sent")]
    late = send(hr, "post", f"/reward-requests/{request_id}/cancel")
    assert late.status_code == 422
    assert ledger.balances(enrolled).spendable == 20


def test_beyond_the_balance_is_refused_and_nothing_written(persona, enrolled, client_for) -> None:
    give_points(enrolled, 20)
    reward = a_reward(persona.organisation, cost=30, stock=2)
    refused = send(client_for(enrolled), "post", f"/rewards/{reward.pk}/requests")
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == "This costs 30 points and you have 20 to spend."
    assert not RewardRequest.objects.exists()
    assert LedgerEntry.objects.filter(person=enrolled).count() == 1
    assert Reward.objects.get(pk=reward.pk).stock == 2


def test_cancelling_returns_the_points_and_the_item_once(persona, enrolled, client_for) -> None:
    give_points(enrolled, 40)
    reward = a_reward(persona.organisation, cost=40, stock=1)
    ambassador = client_for(enrolled)
    request_id = send(ambassador, "post", f"/rewards/{reward.pk}/requests").json()["id"]
    assert (
        send(
            client_for(persona.employee), "post", f"/reward-requests/{request_id}/cancel"
        ).status_code
        == 404
    )
    first = send(ambassador, "post", f"/reward-requests/{request_id}/cancel")
    assert first.status_code == 200 and first.json()["status"] == RequestStatus.CANCELLED
    second = send(client_for(persona.comms), "post", f"/reward-requests/{request_id}/cancel")
    assert second.status_code == 422
    assert "already cancelled" in second.json()["error"]["message"]
    assert ledger.balances(enrolled).spendable == 40
    assert LedgerEntry.objects.filter(person=enrolled, reason="reward_returned").count() == 1
    assert Reward.objects.get(pk=reward.pk).stock == 1


def test_an_ineligible_or_outside_person_is_refused(persona, enrolled, program, client_for) -> None:
    reward = a_reward(persona.organisation, cost=10)
    give_points(persona.employee, 50)  # not enrolled in any program: not an ambassador
    refused = send(client_for(persona.employee), "post", f"/rewards/{reward.pk}/requests")
    assert refused.status_code == 422
    assert "for the ambassadors of other programs" in refused.json()["error"]["message"]
    outside = send(client_for(persona.outsider), "post", f"/rewards/{reward.pk}/requests")
    assert outside.status_code == 404
    assert client_for(persona.outsider).get(f"{API}/rewards").json() == []
    assert not RewardRequest.objects.exists()
