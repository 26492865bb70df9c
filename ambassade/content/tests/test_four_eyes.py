"""Four-eyes review: nobody approves their own item unless the program allows it (an
audited policy change); internal communications approves by default, alongside marketing."""

from __future__ import annotations

import pytest

from ambassade.content.models import ContentItem, ProgramContentPolicy, Status
from ambassade.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _submitted(client, program, title: str = "A") -> ContentItem:
    client.post(
        "/console/content/new",
        {
            "kind": "article",
            "program": program.pk,
            "language": "fr",
            "title": title,
            "url": "https://example.com/a",
        },
    )
    item = ContentItem.objects.get(title=title)
    client.post(f"/console/content/{item.pk}/do/submit")
    return item


def test_communications_approves_by_default(persona, client_for, program) -> None:
    item = _submitted(client_for(persona.marketer), program)
    comms = client_for(persona.comms)
    assert (
        f'action="/console/content/{item.pk}/do/approve"'
        in comms.get(f"/console/content/{item.pk}/").content.decode()
    )
    comms.post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


def test_marketing_cannot_approve_its_own_item(persona, client_for, program) -> None:
    marketer = client_for(persona.marketer)
    item = _submitted(marketer, program)
    page = marketer.get(f"/console/content/{item.pk}/").content.decode()
    assert f"/console/content/{item.pk}/do/approve" not in page
    assert "You wrote this item: someone else approves it" in page
    response = marketer.post(f"/console/content/{item.pk}/do/approve", follow=True)
    assert "someone other than the author approves" in response.content.decode()
    api = marketer.post(
        f"/api/v1/content/items/{item.pk}/transitions/approve", {}, content_type="application/json"
    )
    assert api.status_code == 422
    assert "someone other than the author" in api.json()["error"]["message"]
    marketer.post(f"/console/content/{item.pk}/do/publish")  # no way around the review
    item.refresh_from_db()
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


def test_a_program_may_let_authors_approve_their_own_items(persona, client_for, program) -> None:
    marketer = client_for(persona.marketer)
    item = _submitted(marketer, program)
    response = marketer.post(
        f"/console/content/setup/programs/{program.pk}/",
        {"reviewer_roles": ["marketing", "internal_comms"], "self_approval": "on"},
    )
    assert response.status_code == 302
    assert ProgramContentPolicy.objects.get(program=program).self_approval
    event = AuditEvent.objects.get(action="content.policy_changed")
    assert event.before["self_approval"] is False and event.after["self_approval"] is True
    marketer.post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


def test_the_queue_tells_who_reviews_nothing(persona, client_for, program) -> None:
    hr = client_for(persona.hr).get("/console/content/review/").content.decode()
    assert "You approve the content of no program" in hr
    comms = client_for(persona.comms).get("/console/content/review/").content.decode()
    assert "Nothing waits for a review." in comms
    assert not ProgramContentPolicy.objects.exists()  # reading creates no policy


def test_the_review_queue_lists_only_what_the_reader_acts_on(persona, client_for, program) -> None:
    item = _submitted(client_for(persona.marketer), program, title="Nos ateliers")
    assert (
        "Nos ateliers"
        not in client_for(persona.hr).get("/console/content/review/").content.decode()
    )
    assert (
        "Nos ateliers" in client_for(persona.comms).get("/console/content/review/").content.decode()
    )
    own = client_for(persona.marketer).get("/console/content/review/").content.decode()
    assert "Nos ateliers" in own and "your item: someone else approves it" in own
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED
