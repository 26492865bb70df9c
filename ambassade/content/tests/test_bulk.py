"""The studio list's bulk actions: each item through its usual action, one line of outcome."""

from __future__ import annotations

import pytest

from ambassade.content.models import ContentItem, Status
from ambassade.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _items(program, *statuses: str) -> list[ContentItem]:
    return [
        ContentItem.objects.create(
            organisation=program.organisation,
            program=program,
            title=f"Article {n}",
            status=status,
            url=f"https://example.com/{n}",
        )
        for n, status in enumerate(statuses)
    ]


def test_bulk_approve_approves_the_submitted_and_says_why_the_others_were_refused(
    persona, client_for, program
) -> None:
    items = _items(program, Status.SUBMITTED, Status.SUBMITTED, Status.DRAFT)
    response = client_for(persona.marketer).post(
        "/console/content/bulk",
        {"action": "approve", "item": [item.pk for item in items]},
        follow=True,
    )
    page = response.content.decode()
    assert "2 approved, 1 refused: Article 2 (Only a submitted item can be approved.)" in page
    statuses = sorted(ContentItem.objects.values_list("status", flat=True))
    assert statuses == [Status.DRAFT, Status.PUBLISHED, Status.PUBLISHED]
    assert AuditEvent.objects.filter(target_id__in=[items[0].pk, items[1].pk]).count() >= 2


def test_bulk_archive_and_an_approval_the_viewer_may_not_give(persona, client_for, program) -> None:
    items = _items(program, Status.SUBMITTED, Status.PUBLISHED)
    admin = client_for(persona.admin)
    # Admins are not this program's reviewers by default: each refusal is named.
    refused = admin.post(
        "/console/content/bulk", {"action": "approve", "item": [items[0].pk]}, follow=True
    )
    assert "0 approved, 1 refused: Article 0 (you may not do this)" in refused.content.decode()
    admin.post("/console/content/bulk", {"action": "archive", "item": [items[1].pk]})
    items[1].refresh_from_db()
    assert items[1].status == Status.ARCHIVED


def test_export_takes_the_filtered_items_when_none_is_ticked(persona, client_for, program) -> None:
    _items(program, Status.SUBMITTED, Status.DRAFT, Status.DRAFT)
    response = client_for(persona.comms).post(
        "/console/content/bulk", {"action": "export", "status": Status.DRAFT}
    )
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Article 1" in text and "Article 2" in text and "Article 0" not in text
    assert (
        client_for(persona.hr).post("/console/content/bulk", {"action": "export"}).status_code
        == 403
    )
