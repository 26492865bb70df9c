"""Compliance that holds: the guidelines on every text of an item, changes to a published
item reviewed again, and the studio list showing each item's dates and status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.content.models import (
    ContentItem,
    ContentVersion,
    GlossaryTerm,
    ProgramContentPolicy,
    Status,
)
from ambassade.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(persona):
    GlossaryTerm.objects.create(
        organisation=persona.organisation, kind="banned", text="gratuit", reason="Pas de promesse"
    )
    GlossaryTerm.objects.create(
        organisation=persona.organisation, kind="preferred", text="boulot", suggestion="emploi"
    )


def _text_item(client, program, **extra):
    data = {"kind": "text", "program": program.pk, "language": "fr", "title": "Un titre"}
    client.post("/console/content/new", {**data, **extra})
    return ContentItem.objects.latest("pk")


def test_a_banned_term_in_the_body_blocks_submission_and_publication(
    persona, client_for, program, terms
) -> None:
    marketer = client_for(persona.marketer)
    item = _text_item(marketer, program, body="<p>Un café <strong>GRATUIT</strong> !</p>")
    shown = marketer.get(f"/console/content/{item.pk}/").content.decode()
    assert "The guidelines block this item" in shown and "“GRATUIT” in the text" in shown
    page = marketer.post(f"/console/content/{item.pk}/do/publish", follow=True).content.decode()
    assert "“GRATUIT” in the text: Pas de promesse" in page
    marketer.post(f"/console/content/{item.pk}/do/submit")
    item.refresh_from_db()
    assert item.status == Status.DRAFT
    # Through the API: 422 in the error format, naming the field.
    response = marketer.post(
        f"/api/v1/content/items/{item.pk}/transitions/publish",
        "{}",
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["details"][0]["field"] == "body" and "GRATUIT" in error["message"]


def test_warnings_stay_warnings_and_titles_and_translations_are_checked(
    persona, client_for, program, terms
) -> None:
    marketer = client_for(persona.marketer)
    item = _text_item(marketer, program, body="Un boulot à Lyon")
    assert marketer.post(f"/console/content/{item.pk}/do/submit").status_code == 302
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED  # a preferred wording never blocks
    english = _text_item(marketer, program, title="Free lunch", body="Nothing gratuit here")
    english.group, english.language = item.group, "en"
    english.save()
    item.status = Status.DRAFT
    item.save()
    page = marketer.post(f"/console/content/{item.pk}/do/submit", follow=True).content.decode()
    assert "“gratuit” in the text (english)" in page
    item.refresh_from_db()
    assert item.status == Status.DRAFT


def _published_regulated(persona, client_for, program, keep_live: bool):
    policy = ProgramContentPolicy.objects.create(
        program=program, reviewer_roles=["marketing"], regulated=True
    )
    policy.compliance_reviewers.add(persona.sales)
    marketer = client_for(persona.marketer)
    admin = client_for(persona.admin)
    admin.post(
        f"/console/content/setup/programs/{program.pk}/",
        {
            "reviewer_roles": ["marketing"],
            "compliance_reviewers": [persona.sales.pk],
            "regulated": "on",
            "while_reviewed": "keep" if keep_live else "withdraw",
        },
    )
    policy.refresh_from_db()
    assert policy.keep_live_while_reviewed is keep_live
    item = _text_item(marketer, program, title="Avant", body="Texte approuvé")
    marketer.post(f"/console/content/{item.pk}/do/submit")
    client_for(persona.sales).post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    return marketer, item


def _edit(client, item, **changes):
    data = {"kind": "text", "program": item.program_id, "language": "fr", "title": item.title}
    return client.post(f"/console/content/{item.pk}/edit", {**data, **changes})


def test_a_change_to_a_published_item_is_reviewed_while_the_approved_text_stays_live(
    persona, client_for, program
) -> None:
    marketer, item = _published_regulated(persona, client_for, program, keep_live=True)
    assert _edit(marketer, item, title="Après", body="Texte changé").status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.title == "Avant"  # still live as approved
    assert item.pending_change["title"] == "Après"
    # A second edit starts from the change waiting, not from the live text.
    form = marketer.get(f"/console/content/{item.pk}/edit").content.decode()
    assert 'value="Après"' in form and "Texte changé" in form
    queue = client_for(persona.sales).get("/console/content/review/").content.decode()
    assert "Avant" in queue
    # The author may not approve their own change in a regulated program.
    marketer.post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.title == "Avant"
    client_for(persona.sales).post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.title == "Après" and item.pending_change is None
    versions = list(ContentVersion.objects.filter(item=item).order_by("number"))
    assert [v.snapshot["title"] for v in versions] == ["Avant", "Après"]
    assert AuditEvent.objects.filter(action="content.change_approved").exists()


def test_a_program_may_withdraw_a_changed_item_until_it_is_approved(
    persona, client_for, program
) -> None:
    marketer, item = _published_regulated(persona, client_for, program, keep_live=False)
    _edit(marketer, item, title="Après", body="Texte changé")
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED and item.title == "Après"
    assert ContentVersion.objects.get(item=item).snapshot["title"] == "Avant"
    client_for(persona.sales).post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    assert ContentVersion.objects.filter(item=item).count() == 2


def test_the_studio_list_shows_dates_and_a_translated_status(
    persona, client_for, program, settings
) -> None:
    marketer = client_for(persona.marketer)
    start = timezone.localtime() + timedelta(days=3)
    item = _text_item(
        marketer, program, body="Bientôt", publish_from=start.strftime("%Y-%m-%d %H:%M")
    )
    marketer.post(f"/console/content/{item.pk}/do/submit")
    reviewer = client_for(persona.comms)  # four-eyes: someone other than the author
    shown = reviewer.get(f"/console/content/{item.pk}/").content.decode()
    assert "Approving schedules it: it is published on" in shown
    reviewer.post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.status == Status.APPROVED and item.published_at is None
    page = marketer.get("/console/content/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Approuvé" in page and "programmé" in page
    assert start.strftime("%d/%m/%Y") in page
