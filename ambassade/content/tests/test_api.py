"""The content API: items and transitions, messages, guidelines check, inbox, tenancy."""

from __future__ import annotations

import pytest

from ambassade.content.models import ContentItem, CurationEntry, GlossaryTerm, Source, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def helios(persona) -> None:
    GlossaryTerm.objects.create(
        organisation=persona.organisation,
        kind="confidential",
        text="Projet Hélios",
        reason="Nom de code interne",
    )


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_items_crud_transitions_and_messages(persona, client_for, program, helios) -> None:
    client = client_for(persona.marketer)
    created = _post(
        client,
        "/api/v1/content/items",
        {"program_id": program.pk, "kind": "text", "title": "Bravo", "body": "<p>Bravo</p>"},
    )
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    assert created.json()["shareable"] is True
    patched = client.patch(
        f"/api/v1/content/items/{item_id}",
        {"title": "Bravo Lyon", "target_languages": ["fr"]},
        content_type="application/json",
    )
    assert patched.json()["title"] == "Bravo Lyon"
    assert patched.json()["target_languages"] == ["fr"]
    blocked = _post(
        client,
        f"/api/v1/content/items/{item_id}/messages",
        {"text": "Le PROJET HELIOS arrive", "network": "linkedin"},
    )
    assert blocked.status_code == 422
    assert "Nom de code interne" in blocked.json()["error"]["message"]
    assert blocked.json()["error"]["details"][0]["field"] == "text"
    ok = _post(
        client,
        f"/api/v1/content/items/{item_id}/messages",
        {"text": "Bravo l'équipe", "language": "fr", "network": "x"},
    )
    assert ok.status_code == 201
    assert client.get(f"/api/v1/content/items/{item_id}/messages").json()[0]["network"] == "x"
    assert (
        _post(client, f"/api/v1/content/items/{item_id}/transitions/submit", {}).json()["status"]
        == "submitted"
    )
    comment = _post(client, f"/api/v1/content/items/{item_id}/comments", {"text": "OK pour moi"})
    assert comment.status_code == 201
    own = _post(client, f"/api/v1/content/items/{item_id}/transitions/approve", {})
    assert own.status_code == 422  # four-eyes review: test_four_eyes.py
    reviewer = client_for(persona.comms)
    approved = _post(reviewer, f"/api/v1/content/items/{item_id}/transitions/approve", {})
    assert approved.json()["status"] == "published"
    unknown = _post(client, f"/api/v1/content/items/{item_id}/transitions/teleport", {})
    assert unknown.status_code == 404


def test_internal_news_is_marked_not_shareable(persona, client_for, program) -> None:
    client = client_for(persona.comms)
    created = _post(
        client,
        "/api/v1/content/items",
        {"program_id": program.pk, "kind": "internal_news", "title": "Pot", "body": "Vendredi"},
    )
    assert created.json()["shareable"] is False
    refused = _post(
        client, f"/api/v1/content/items/{created.json()['id']}/messages", {"text": "Partagez"}
    )
    assert refused.status_code == 422


def test_bad_input_through_the_api(persona, client_for, program) -> None:
    client = client_for(persona.marketer)
    bad_date = _post(
        client,
        "/api/v1/content/items",
        {"program_id": program.pk, "url": "https://example.com", "publish_from": "demain"},
    )
    assert bad_date.status_code == 422
    bad_url = _post(client, "/api/v1/content/items", {"program_id": program.pk, "url": "nope"})
    assert bad_url.status_code == 422
    assert bad_url.json()["error"]["details"][0]["field"] == "url"
    html = _post(
        client,
        "/api/v1/content/items",
        {"program_id": program.pk, "url": "https://example.com", "title": "<script>x</script>"},
    )
    assert "HTML tags are not accepted" in html.json()["error"]["message"]


def test_guidelines_check_for_the_composer(persona, client_for, helios) -> None:
    from ambassade.content.models import Disclosure

    Disclosure.objects.create(organisation=persona.organisation, network="x", text="#salarié")
    response = _post(
        client_for(persona.ambassador),
        "/api/v1/guidelines/check",
        {"text": "Vive le projet hélios", "network": "x"},
    )
    body = response.json()
    assert response.status_code == 200
    assert body["blocked"] is True
    assert body["findings"][0]["reason"] == "Nom de code interne"
    assert body["findings"][0]["matched"] == "projet hélios"
    assert body["text"].endswith("#salarié") and body["disclosure_added"] == "#salarié"
    assert body["counts"][0]["network"] == "x"


def test_inbox_accept_and_discard_through_the_api(persona, client_for, program) -> None:
    source = Source.objects.create(
        organisation=persona.organisation, url="https://example.com/feed", program=program
    )
    entries = [
        CurationEntry.objects.create(
            organisation=persona.organisation,
            source=source,
            url=f"https://example.com/{index}",
            title=f"Entry {index}",
        )
        for index in range(2)
    ]
    client = client_for(persona.marketer)
    assert client.get("/api/v1/content/inbox").json()["count"] == 2
    accepted = _post(client, f"/api/v1/content/inbox/{entries[0].pk}/accept", {})
    assert accepted.status_code == 201 and accepted.json()["status"] == Status.DRAFT
    assert accepted.json()["preview_status"] == "pending"
    again = _post(client, f"/api/v1/content/inbox/{entries[0].pk}/accept", {})
    assert again.status_code == 422
    assert _post(client, f"/api/v1/content/inbox/{entries[1].pk}/discard", {}).status_code == 200


def test_suggestions_submit_and_moderate_through_the_api(persona, client_for, program) -> None:
    submitted = _post(
        client_for(persona.ambassador),
        "/api/v1/content/suggestions",
        {"url": "https://example.com/x", "note": "À voir"},
    )
    assert submitted.status_code == 201
    assert _post(client_for(persona.employee), "/api/v1/content/suggestions", {}).status_code == 403
    moderated = _post(
        client_for(persona.marketer),
        f"/api/v1/content/suggestions/{submitted.json()['id']}/moderate",
        {"accept": False, "response": "Hors sujet"},
    )
    assert moderated.json()["state"] == "rejected"


def test_another_organisation_gets_404_and_roles_are_enforced(persona, client_for, program) -> None:
    item = ContentItem.objects.create(
        organisation=persona.organisation, program=program, title="Secret"
    )
    outsider = client_for(persona.outsider)
    assert outsider.get(f"/api/v1/content/items/{item.pk}").status_code == 404
    assert (
        outsider.patch(
            f"/api/v1/content/items/{item.pk}", {"title": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        _post(outsider, f"/api/v1/content/items/{item.pk}/transitions/archive", {}).status_code
        == 404
    )
    assert client_for(persona.hr).get("/api/v1/content/items").status_code == 403
    other_program = _post(
        outsider, "/api/v1/content/items", {"program_id": program.pk, "url": "https://e.com"}
    )
    assert other_program.status_code == 422  # our program is not theirs
