"""Each persona against a reward and a request of Acme, through the pages and the API:
who edits the catalogue, who fulfils, and the outsider's 404 (another organisation's)."""

from __future__ import annotations

import json

import pytest

from ambassade.recognition import rewards
from ambassade.recognition.models import RequestStatus, RewardRequest
from ambassade.recognition.tests.rewards_helpers import a_reward, ambassadors, give_points
from ambassade.sharing.tests.conftest import as_actor

pytestmark = pytest.mark.django_db
PERSONAS = ["admin", "marketer", "hr", "comms", "sales", "coach", "ambassador", "employee"]
MANAGERS = {"admin", "marketer", "hr", "comms"}
FULFILLERS = {"admin", "hr", "comms"}
API = "/api/v1/recognition"


def _json(client, method, path, body=None):
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def test_who_edits_the_catalogue(persona, client_for) -> None:
    reward = a_reward(persona.organisation)
    edit = f"/console/recognition/rewards/{reward.pk}/"
    for name in PERSONAS:
        client = client_for(getattr(persona, name))
        expected = 200 if name in MANAGERS else 403
        assert client.get(edit).status_code == expected, name
        patched = _json(client, "patch", f"{API}/rewards/{reward.pk}", {"stock": 4})
        assert patched.status_code == expected, name
        created = _json(client, "post", f"{API}/rewards", {"name": "Gourde", "cost": 5})
        assert created.status_code == (201 if name in MANAGERS else 403), name
        retired = client.post(f"/console/recognition/rewards/{reward.pk}/retire")
        assert retired.status_code == (302 if name in MANAGERS else 403), name
    outsider = client_for(persona.outsider)
    assert outsider.get(edit).status_code == 404
    assert _json(outsider, "patch", f"{API}/rewards/{reward.pk}", {"stock": 1}).status_code == 404
    assert outsider.post(f"/console/recognition/rewards/{reward.pk}/retire").status_code == 404


def test_who_fulfils(persona, program, client_for) -> None:
    [someone] = ambassadors(persona, program, 1, points=100)
    reward = a_reward(persona.organisation, cost=10, stock=5)
    request = rewards.request_reward(as_actor(someone), reward)
    outsider = client_for(persona.outsider)
    for step in ("approve", "send", "cancel"):
        page = f"/console/recognition/rewards/queue/{request.pk}/{step}"
        api = f"{API}/reward-requests/{request.pk}/{step}"
        assert outsider.post(page).status_code == 404
        assert _json(outsider, "post", api).status_code == 404
        for name in PERSONAS:
            if name in FULFILLERS:
                continue
            client = client_for(getattr(persona, name))
            assert client.post(page).status_code == 403, (name, step)
            refused = _json(client, "post", api).status_code
            # Cancelling is a person's own right too: someone else's request is not found.
            assert refused == (404 if step == "cancel" else 403), (name, step)
    assert (
        client_for(persona.hr)
        .post(f"/console/recognition/rewards/queue/{request.pk}/approve")
        .status_code
        == 302
    )
    assert _json(client_for(persona.admin), "post", f"{API}/reward-requests/{request.pk}/send")
    request.refresh_from_db()
    assert request.status == RequestStatus.SENT
    assert (
        client_for(persona.comms)
        .post(f"/console/recognition/rewards/queue/{request.pk}/lose")
        .status_code
        == 404
    )


def test_who_requests(persona, enrolled, client_for) -> None:
    reward = a_reward(persona.organisation, cost=10, stock=20)
    for name in PERSONAS:
        person = getattr(persona, name)
        give_points(person, 10)
        page = client_for(person).get(f"/me/recognition/rewards/{reward.pk}/request")
        assert page.status_code == 200, name
    made = _json(client_for(enrolled), "post", f"{API}/rewards/{reward.pk}/requests")
    assert made.status_code == 201
    # Not enrolled in any program: the other personas are not ambassadors yet.
    refused = _json(client_for(persona.hr), "post", f"{API}/rewards/{reward.pk}/requests")
    assert refused.status_code == 422
    outsider = client_for(persona.outsider)
    assert outsider.get(f"/me/recognition/rewards/{reward.pk}/request").status_code == 404
    assert (
        outsider.post(f"/me/recognition/rewards/requests/{made.json()['id']}/cancel").status_code
        == 404
    )
    assert RewardRequest.objects.count() == 1
