"""/api/v1/delegation/ through HTTP with personal tokens: naming a delegate, the
delegate's view of the principal's accounts, writing, approving (edited), refusing,
ending; nothing is shared before approval, a former delegate can no longer write."""

from __future__ import annotations

import pytest
from django.test import Client

from ambassade.delegation.models import Delegation, Draft, DraftStatus
from ambassade.delegation.tests.conftest import bearer, send
from ambassade.sharing.models import Share, ShareTarget

pytestmark = pytest.mark.django_db

TEXT = "Vingt postes à Lyon dans une équipe que j'ai vue grandir : parlons-en !"
SCOPES = ["sharing:read", "sharing:write"]


@pytest.fixture
def principal(persona) -> dict[str, str]:
    return bearer(persona.ambassador, SCOPES, "amb_principal")


@pytest.fixture
def delegate(persona) -> dict[str, str]:
    return bearer(persona.employee, SCOPES, "amb_delegate")


def _draft(delegation, item, account, auth, text=TEXT):
    return send(
        Client(),
        "post",
        "/api/v1/delegation/drafts",
        {
            "delegation_id": delegation.pk,
            "item_id": item.pk,
            "text": text,
            "account_ids": [account.pk],
        },
        **auth,
    )


def test_naming_listing_and_ending_a_delegation(persona, principal, delegate) -> None:
    client = Client()
    named = send(
        client,
        "post",
        "/api/v1/delegation/delegates",
        {"delegate_id": persona.employee.pk},
        **principal,
    )
    assert named.status_code == 201, named.content
    assert named.json()["delegate"]["name"] == persona.employee.full_name
    again = send(
        client,
        "post",
        "/api/v1/delegation/delegates",
        {"delegate_id": persona.employee.pk},
        **principal,
    )
    assert again.status_code == 422 and again.json()["error"]["code"] == "invalid"
    outsider = send(
        client,
        "post",
        "/api/v1/delegation/delegates",
        {"delegate_id": persona.outsider.pk},
        **principal,
    )
    assert outsider.status_code == 422
    mine = client.get("/api/v1/delegation/principals", **delegate).json()
    assert [row["principal"]["id"] for row in mine] == [persona.ambassador.pk]
    ended = send(
        client, "post", f"/api/v1/delegation/delegations/{named.json()['id']}/end", **delegate
    )
    assert ended.status_code == 200 and ended.json()["current"] is False
    listed = client.get("/api/v1/delegation/delegates", **principal).json()
    assert [row["current"] for row in listed] == [False]  # past delegates stay visible


def test_the_delegate_reads_network_and_handle_never_the_token(
    persona, delegation, account, delegate
) -> None:
    answer = Client().get("/api/v1/delegation/principals", **delegate)
    assert answer.status_code == 200
    assert answer.json()[0]["accounts"] == [
        {
            "id": account.pk,
            "network": "fakenet",
            "network_name": "Fake network",
            "handle": "@alice@fake",
        }
    ]
    assert "SUPER-SECRET" not in answer.content.decode()


def test_a_draft_is_shared_only_once_approved_with_the_edit(
    persona, delegation, item, account, principal, delegate, fake, run_events
) -> None:
    written = _draft(delegation, item, account, delegate)
    assert written.status_code == 201, written.content
    draft_id = written.json()["id"]
    assert written.json()["status"] == "pending"
    assert not ShareTarget.objects.exists()
    listed = Client().get("/api/v1/delegation/drafts", **principal).json()
    assert [row["id"] for row in listed["items"]] == [draft_id]
    # The delegate cannot approve; another person does not even see it.
    own = send(Client(), "post", f"/api/v1/delegation/drafts/{draft_id}/approve", {}, **delegate)
    assert own.status_code == 404
    coach = bearer(persona.coach, SCOPES, "amb_coach")
    assert Client().get(f"/api/v1/delegation/drafts/{draft_id}", **coach).status_code == 404
    assert not ShareTarget.objects.exists()

    edited = "Lyon recrute vingt personnes : je serai ravi d'en parler, écrivez-moi directement."
    approved = run_events(
        lambda: send(
            Client(),
            "post",
            f"/api/v1/delegation/drafts/{draft_id}/approve",
            {"text": edited},
            **principal,
        )
    )
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert body["status"] == "approved" and body["edited"] is True and body["share_id"]
    share = Share.objects.get()
    assert share.person == persona.ambassador and share.message == edited
    assert fake.posted and fake.posted[0].text.startswith(edited[:40])
    seen = Client().get("/api/v1/delegation/drafts?side=delegate", **delegate).json()
    assert seen["items"][0]["status_name"] == "Approved"


def test_refusing_and_a_copied_draft_refused_by_sharing(
    persona, delegation, item, account, principal, delegate
) -> None:
    copied = item.messages.first().text_to_share
    draft_id = _draft(delegation, item, account, delegate, text=copied).json()["id"]
    refused_by_sharing = send(
        Client(), "post", f"/api/v1/delegation/drafts/{draft_id}/approve", {}, **principal
    )
    assert refused_by_sharing.status_code == 422
    assert refused_by_sharing.json()["error"]["code"] == "too_similar"
    assert not ShareTarget.objects.exists()
    refused = send(
        Client(),
        "post",
        f"/api/v1/delegation/drafts/{draft_id}/refuse",
        {"note": "Écris-le avec tes mots."},
        **principal,
    )
    assert refused.status_code == 200
    assert refused.json()["status"] == "refused" and refused.json()["note"]


def test_a_former_delegate_can_no_longer_write(
    persona, delegation, item, account, principal, delegate
) -> None:
    pending = _draft(delegation, item, account, delegate).json()["id"]
    send(Client(), "post", f"/api/v1/delegation/delegations/{delegation.pk}/end", **principal)
    assert Draft.objects.get(pk=pending).status == DraftStatus.WITHDRAWN
    assert _draft(delegation, item, account, delegate).status_code == 403
    late = send(Client(), "post", f"/api/v1/delegation/drafts/{pending}/approve", {}, **principal)
    assert late.status_code == 422
    assert not ShareTarget.objects.exists()
    assert Delegation.objects.get().ended_by == persona.ambassador


def test_bad_input_is_refused_in_the_error_format(
    persona, delegation, item, account, delegate
) -> None:
    other_account = account.pk + 1000
    wrong = send(
        Client(),
        "post",
        "/api/v1/delegation/drafts",
        {
            "delegation_id": delegation.pk,
            "item_id": item.pk,
            "text": TEXT,
            "account_ids": [other_account],
        },
        **delegate,
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["details"][0]["field"] == (
        "account_ids"
    )
    blank = _draft(delegation, item, account, delegate, text="   ")
    assert blank.status_code == 422
    unknown = send(
        Client(),
        "post",
        "/api/v1/delegation/drafts",
        {
            "delegation_id": delegation.pk,
            "item_id": item.pk,
            "text": TEXT,
            "account_ids": [account.pk],
            "extra": 1,
        },
        **delegate,
    )
    assert unknown.status_code == 422
    side = Client().get("/api/v1/delegation/drafts?side=everyone", **delegate)
    assert side.status_code == 422


def test_a_token_without_the_sharing_scope_is_refused(persona, delegation) -> None:
    reader = bearer(persona.ambassador, ["profile:read"], "amb_reader")
    assert Client().get("/api/v1/delegation/delegates", **reader).status_code == 403
