"""/api/v1/referrals through HTTP: refer, mine, HR's per-offer lists, erasure."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ambassade.core.authz import actor_for_person
from ambassade.core.roles import Scope
from ambassade.people.actions import create_api_token
from ambassade.referrals import actions
from ambassade.referrals.models import Referral
from ambassade.referrals.tests.conftest import job_offer

pytestmark = pytest.mark.django_db


def post(client, path: str, body: dict):
    return client.post(path, json.dumps(body), content_type="application/json")


def refer_body(offer, email: str = "camille@example.org") -> dict:
    return {"offer_id": offer.pk, "name": "Camille Martin", "email": email, "note": "Top"}


def test_refer_then_mine_with_a_personal_token(persona, offer, immediate_tasks) -> None:
    secret = create_api_token(
        actor_for_person(persona.employee), name="phone", scopes=[Scope.REFERRALS_WRITE]
    )[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    with immediate_tasks():
        created = post(client, "/api/v1/referrals", refer_body(offer))
    assert created.status_code == 201, created.content
    assert created.json()["referral"]["status"] == "awaiting"
    again = post(client_for_hr := Client(), "/api/v1/referrals", refer_body(offer))
    assert again.status_code == 401 and client_for_hr  # anonymous
    with immediate_tasks():
        duplicate = post(client, "/api/v1/referrals", refer_body(offer, "CAMILLE@example.org"))
    assert duplicate.status_code == 200
    assert duplicate.json() == {"referral": None, "already_referred": True}
    assert len(mail.outbox) == 1
    mine = client.get("/api/v1/referrals/mine").json()
    assert [(r["offer_id"], r["candidate_name"]) for r in mine] == [(offer.pk, "Camille Martin")]


def test_bad_input_and_invisible_offers_are_refused_in_the_error_format(
    persona, offer, client_for
) -> None:
    client = client_for(persona.ambassador)
    bad = post(client, "/api/v1/referrals", refer_body(offer, "nope"))
    assert bad.status_code == 422 and bad.json()["error"]["code"]
    elsewhere = job_offer(persona.outsider.organisation)
    missing = post(client, "/api/v1/referrals", refer_body(elsewhere))
    assert missing.status_code == 404 and "error" in missing.json()
    assert not Referral.objects.exists()


def test_hr_sees_counts_and_only_confirmed_candidates(persona, offer, client_for) -> None:
    waiting = actions.refer(actor_for_person(persona.ambassador), offer.pk, "Ana", "a@x.org")
    kept = actions.refer(actor_for_person(persona.ambassador), offer.pk, "Bob", "b@x.org")
    actions.confirm(kept.referral)
    hr = client_for(persona.hr)
    rows = hr.get("/api/v1/referrals/offers").json()
    assert [(r["offer_id"], r["awaiting"], r["confirmed"]) for r in rows] == [(offer.pk, 1, 1)]
    detail = hr.get(f"/api/v1/referrals/offers/{offer.pk}").json()
    assert [c["candidate_email"] for c in detail["candidates"]] == ["b@x.org"]
    assert "a@x.org" not in json.dumps(detail)
    # Another organisation's admin sees nothing of it.
    outsider = client_for(persona.outsider)
    assert outsider.get("/api/v1/referrals/offers").json() == []
    assert outsider.get(f"/api/v1/referrals/offers/{offer.pk}").status_code == 404
    assert outsider.delete(f"/api/v1/referrals/{waiting.referral.pk}").status_code == 404
    assert (
        client_for(persona.ambassador)
        .delete(f"/api/v1/referrals/{waiting.referral.pk}")
        .status_code
        == 403
    )
    assert hr.delete(f"/api/v1/referrals/{waiting.referral.pk}").status_code == 204
    assert list(Referral.objects.values_list("candidate_email", flat=True)) == ["b@x.org"]


def test_the_per_offer_list_reads_in_a_fixed_number_of_queries(persona, client_for) -> None:
    hr = client_for(persona.hr)
    hr.get("/api/v1/referrals/offers")  # the session's first request writes more

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert hr.get("/api/v1/referrals/offers").status_code == 200
        return len(queries)

    for number in range(2):
        offer = job_offer(persona.organisation, f"Offre {number}")
        actions.refer(actor_for_person(persona.ambassador), offer.pk, "Ana", f"a{number}@x.org")
    few = count()
    for number in range(2, 6):
        offer = job_offer(persona.organisation, f"Offre {number}")
        actions.refer(actor_for_person(persona.ambassador), offer.pk, "Ana", f"a{number}@x.org")
    assert count() == few


def test_an_organisation_token_refers_nobody(persona, offer) -> None:
    secret = create_api_token(
        actor_for_person(persona.admin),
        name="Career site",
        scopes=[Scope.REFERRALS_WRITE, Scope.REFERRALS_MANAGE],
        organisation_wide=True,
    )[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    refused = post(client, "/api/v1/referrals", refer_body(offer))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert client.get("/api/v1/referrals/mine").status_code == 403
    assert not Referral.objects.exists() and not mail.outbox
