"""The content actions record their domain events (docs/events.md): once, with the
payload of the catalogue, and only when the action commits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from ambassade.content.actions import workflow
from ambassade.content.models import ContentItem, Status
from ambassade.content.tests.conftest import as_actor
from ambassade.core.models import DomainEvent

pytestmark = pytest.mark.django_db


def payloads(name: str) -> list[dict[str, Any]]:
    return list(
        DomainEvent.objects.filter(name=name).order_by("pk").values_list("payload", flat=True)
    )


def _post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


def _created(client, program, **extra: Any) -> int:
    body = {"program_id": program.pk, "kind": "text", "title": "Bravo", "body": "<p>Bravo</p>"}
    created = _post(client, "/api/v1/content/items", {**body, **extra})
    assert created.status_code == 201, created.content
    return int(created.json()["id"])


def test_publishing_then_featuring_through_the_api(persona, client_for, program) -> None:
    client = client_for(persona.marketer)
    item_id = _created(client, program)
    assert not DomainEvent.objects.exists()  # a draft is news to nobody
    published = _post(client, f"/api/v1/content/items/{item_id}/transitions/publish")
    assert published.json()["status"] == Status.PUBLISHED
    assert payloads("content.item_published") == [
        {"item_id": item_id, "title": "Bravo", "featured": False, "program_ids": [program.pk]}
    ]
    assert payloads("content.item_featured") == []
    event = DomainEvent.objects.get()
    assert event.organisation == persona.organisation and event.version == 1

    for _ in range(2):  # featured once; saying it again is no news
        patched = client.patch(
            f"/api/v1/content/items/{item_id}", {"featured": True}, content_type="application/json"
        )
        assert patched.status_code == 200, patched.content
    assert payloads("content.item_featured") == [
        {"item_id": item_id, "title": "Bravo", "program_ids": [program.pk]}
    ]
    assert len(payloads("content.item_published")) == 1


def test_a_featured_item_published_is_published_and_featured(persona, client_for, program) -> None:
    client = client_for(persona.marketer)
    item_id = _created(client, program, featured=True)
    client.patch(  # featuring a draft is no news yet
        f"/api/v1/content/items/{item_id}", {"title": "Bravo !"}, content_type="application/json"
    )
    assert not DomainEvent.objects.exists()
    _post(client, f"/api/v1/content/items/{item_id}/transitions/publish")
    assert [p["featured"] for p in payloads("content.item_published")] == [True]
    assert payloads("content.item_featured") == [
        {"item_id": item_id, "title": "Bravo !", "program_ids": [program.pk]}
    ]


def test_refused_or_rolled_back_publication_records_nothing(persona, client_for, program) -> None:
    client = client_for(persona.marketer)
    item_id = _created(client, program)
    _post(client, f"/api/v1/content/items/{item_id}/transitions/archive")
    DomainEvent.objects.all().delete()
    refused = _post(client, f"/api/v1/content/items/{item_id}/transitions/publish")
    assert refused.status_code == 422
    item = ContentItem.objects.create(
        organisation=persona.organisation, program=program, title="Draft", featured=True
    )
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        workflow.publish(as_actor(persona.marketer), item)
        _ = 1 / 0  # something after it fails: the publication and its events are undone
    assert not DomainEvent.objects.exists()
    assert ContentItem.objects.get(pk=item.pk).status == Status.DRAFT


def test_a_scheduled_item_is_announced_when_it_goes_live(persona, client_for, program) -> None:
    client = client_for(persona.marketer)
    later = timezone.now() + timedelta(hours=2)
    item_id = _created(client, program, publish_from=later.isoformat())
    approved = _post(client, f"/api/v1/content/items/{item_id}/transitions/publish")
    assert approved.json()["status"] == Status.APPROVED
    assert not DomainEvent.objects.exists()  # approved, waiting: not published yet
    assert workflow.publish_due(later + timedelta(minutes=1)) == 1
    assert [p["item_id"] for p in payloads("content.item_published")] == [item_id]
    assert workflow.publish_due(later + timedelta(minutes=2)) == 0
    assert len(payloads("content.item_published")) == 1


def test_approval_that_publishes_records_it(persona, client_for, program) -> None:
    marketer, comms = client_for(persona.marketer), client_for(persona.comms)
    item_id = _created(marketer, program)
    _post(marketer, f"/api/v1/content/items/{item_id}/transitions/submit")
    assert not DomainEvent.objects.exists()
    approved = _post(comms, f"/api/v1/content/items/{item_id}/transitions/approve")
    assert approved.json()["status"] == Status.PUBLISHED, approved.content
    assert [p["item_id"] for p in payloads("content.item_published")] == [item_id]


def test_moderating_a_suggestion_records_the_decision(persona, client_for, program) -> None:
    ambassador, marketer = client_for(persona.ambassador), client_for(persona.marketer)
    first = _post(ambassador, "/api/v1/content/suggestions", {"url": "https://example.com/x"})
    second = _post(ambassador, "/api/v1/content/suggestions", {"text": "Notre usine de Lyon"})
    assert not DomainEvent.objects.exists()  # suggested, not decided
    base = "/api/v1/content/suggestions"
    _post(marketer, f"{base}/{first.json()['id']}/moderate", {"accept": False})
    accepted = _post(
        marketer,
        f"{base}/{second.json()['id']}/moderate",
        {"accept": True, "program_id": program.pk},
    )
    assert accepted.status_code == 200, accepted.content
    item_id = ContentItem.objects.get(title="Notre usine de Lyon").pk
    person_id = persona.ambassador.pk
    assert payloads("content.suggestion_decided") == [
        {
            "suggestion_id": first.json()["id"],
            "person_id": person_id,
            "accepted": False,
            "item_id": None,
        },
        {
            "suggestion_id": second.json()["id"],
            "person_id": person_id,
            "accepted": True,
            "item_id": item_id,
        },
    ]
    again = _post(marketer, f"{base}/{first.json()['id']}/moderate", {"accept": True})
    assert again.status_code == 422
    assert len(payloads("content.suggestion_decided")) == 2


def test_a_reviewed_change_features_the_item_when_approved(persona, client_for, program) -> None:
    from ambassade.content.actions import policy_of

    policy = policy_of(program)
    policy.regulated = policy.keep_live_while_reviewed = True
    policy.save()
    marketer, comms = client_for(persona.marketer), client_for(persona.comms)
    item_id = _created(marketer, program)
    _post(marketer, f"/api/v1/content/items/{item_id}/transitions/submit")
    _post(comms, f"/api/v1/content/items/{item_id}/transitions/approve")
    assert [p["featured"] for p in payloads("content.item_published")] == [False]
    proposed = marketer.patch(
        f"/api/v1/content/items/{item_id}", {"featured": True}, content_type="application/json"
    )
    assert proposed.status_code == 200, proposed.content
    assert payloads("content.item_featured") == []  # proposed, not live yet
    approved = _post(comms, f"/api/v1/content/items/{item_id}/transitions/approve")
    assert approved.status_code == 200, approved.content
    assert payloads("content.item_featured") == [
        {"item_id": item_id, "title": "Bravo", "program_ids": [program.pk]}
    ]
    assert len(payloads("content.item_published")) == 1  # it stayed published


def test_published_directly_by_a_trusted_source_or_author(
    persona, client_for, program, enrol, site
) -> None:
    from ambassade.content import curation_actions
    from ambassade.content.models import ContentSettings, Source, Suggestion

    source = Source.objects.create(
        organisation=persona.organisation, url=f"{site.url}/feed.xml", program=program, trusted=True
    )
    curation_actions.poll_source(source)
    published = ContentItem.objects.filter(status=Status.PUBLISHED).order_by("pk")
    assert [p["item_id"] for p in payloads("content.item_published")] == [
        item.pk for item in published
    ]
    assert len(published) == 2

    enrol(persona.ambassador)
    ContentSettings.objects.create(organisation=persona.organisation, trusted_after=1)
    Suggestion.objects.create(
        organisation=persona.organisation,
        author=persona.ambassador,
        url="https://example.com/0",
        state="accepted",
        moderated_at=timezone.now() - timedelta(days=1),
    )
    client_for(persona.ambassador).post("/me/suggest/", {"text": "Bravo à l'équipe de Lyon"})
    latest = Suggestion.objects.order_by("-id").first()
    assert latest is not None and latest.item is not None
    assert payloads("content.item_published")[-1] == {
        "item_id": latest.item.pk,
        "title": "Bravo à l'équipe de Lyon",
        "featured": False,
        "program_ids": [program.pk],
    }
    assert len(payloads("content.item_published")) == 3
