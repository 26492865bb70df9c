"""The studio through its pages: items from a URL, messages, the workflow, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from ambassade.content.models import (
    ContentItem,
    ContentVersion,
    GlossaryTerm,
    ProgramContentPolicy,
    Status,
)
from ambassade.content.tests.conftest import png
from ambassade.core.models import AuditEvent
from ambassade.testing.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def _create(client, program, **extra):
    data = {"kind": "article", "program": program.pk, "language": "fr", **extra}
    return client.post("/console/content/new", data)


def test_an_item_from_a_url_gets_its_preview_and_image_in_the_background(
    persona, client_for, program, site, immediate_tasks
) -> None:
    with immediate_tasks():
        response = _create(client_for(persona.marketer), program, url=f"{site.url}/article")
    assert response.status_code == 302
    item = ContentItem.objects.get()
    assert item.title == "Nous recrutons à Lyon"
    assert item.description == "Vingt postes d'ingénieurs."
    assert item.site_name == "Verdier Newsroom"
    assert item.preview_status == "ready"
    assert item.image and default_storage.exists(item.image)
    page = client_for(persona.marketer).get(f"/console/content/{item.pk}/")
    assert "Nous recrutons à Lyon" in page.content.decode()


def test_the_preview_is_pending_until_the_task_runs_and_failures_say_why(
    persona, client_for, program, site
) -> None:
    client = client_for(persona.marketer)
    _create(client, program, url=f"{site.url}/report.pdf")
    item = ContentItem.objects.get()
    assert item.preview_status == "pending"
    assert "Preview pending" in client.get(f"/console/content/{item.pk}/").content.decode()
    response = client.post(f"/console/content/{item.pk}/preview", follow=True)
    item.refresh_from_db()
    assert item.preview_status == "failed"
    # Stored for the organisation's people, in its language (French by default).
    assert "n’est pas une page web" in item.preview_error
    assert "n’est pas une page web" in response.content.decode()


def test_a_private_or_unreachable_page_is_a_clear_failure(persona, client_for, program) -> None:
    client = client_for(persona.marketer)
    _create(client, program, url="http://127.0.0.1/nothing", title="Private")
    _create(client, program, url="http://127.0.0.1:9/nothing", title="Closed")
    private, closed = ContentItem.objects.order_by("id")
    from ambassade.testing.local_site import operator_allows

    with operator_allows("127.0.0.1:9"):  # as an operator opens an intranet host
        client.post(f"/console/content/{closed.pk}/preview")
    client.post(f"/console/content/{private.pk}/preview")
    private.refresh_from_db()
    closed.refresh_from_db()
    assert private.preview_status == closed.preview_status == "failed"
    assert "adresse privée ou réservée" in private.preview_error
    assert "n’a pas pu être joint" in closed.preview_error


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"url": "not a url"}, "not a valid web address"),
        ({"url": "ftp://example.com/x"}, "not a valid web address"),
        ({"url": ""}, "Give the address of the page"),
        (
            {"url": "https://example.com", "title": "<b>Hi</b>"},
            "HTML tags are not accepted",
        ),
        ({"url": "https://example.com", "publish_from": "31/02/2026"}, "Give a date and time"),
        (
            {
                "url": "https://example.com",
                "publish_from": "2026-03-10 10:00",
                "publish_until": "2026-03-01 10:00",
            },
            "must be after its start",
        ),
        ({"kind": "event", "title": "Salon"}, "An event needs its date and time"),
        ({"kind": "job", "title": "Technicien"}, "address where people apply"),
    ],
)
def test_bad_input_is_refused_next_to_its_field(
    persona, client_for, program, extra, message
) -> None:
    response = _create(client_for(persona.marketer), program, **extra)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ContentItem.objects.exists()


def test_image_uploads_are_checked(persona, client_for, program) -> None:
    client = client_for(persona.marketer)
    _create(client, program, kind="text", title="Bravo", body="<p>Bravo à l'équipe</p>")
    item = ContentItem.objects.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(
        f"/console/content/{item.pk}/image",
        {"image": SimpleUploadedFile("x.png", b"not an image", "image/png")},
    )
    assert bad.status_code == 422
    assert "not a readable image" in bad.content.decode()
    good = client.post(
        f"/console/content/{item.pk}/image",
        {"image": SimpleUploadedFile("x.png", png(), "image/png"), "image_alt": "Logo"},
    )
    assert good.status_code == 302
    item.refresh_from_db()
    assert item.image.endswith(".jpg") and item.image_alt == "Logo"


def test_rich_text_is_sanitised(persona, client_for, program) -> None:
    _create(
        client_for(persona.marketer),
        program,
        kind="text",
        title="Bravo",
        body='<p onclick="x()">Bravo</p><script>alert(1)</script><a href="javascript:x">l</a>',
    )
    body = ContentItem.objects.get().body
    assert "script" not in body and "onclick" not in body and "javascript" not in body
    assert "<p>Bravo</p>" in body


def test_messages_are_counted_and_checked_against_the_guidelines(
    persona, client_for, program
) -> None:
    GlossaryTerm.objects.create(
        organisation=persona.organisation,
        kind="confidential",
        text="Projet Hélios",
        reason="Nom de code interne",
    )
    GlossaryTerm.objects.create(
        organisation=persona.organisation,
        kind="preferred",
        text="collaborateurs",
        suggestion="salariés",
    )
    client = client_for(persona.marketer)
    _create(client, program, url="https://example.com/a", title="A")
    item = ContentItem.objects.get()
    refused = client.post(
        f"/console/content/{item.pk}/messages",
        {"language": "fr", "network": "linkedin", "text": "Bientôt le projet helios !"},
    )
    assert refused.status_code == 422
    assert "Nom de code interne" in refused.content.decode()
    assert not item.messages.exists()
    saved = client.post(
        f"/console/content/{item.pk}/messages",
        {"language": "fr", "network": "x", "text": "Merci aux collaborateurs", "hashtags": "lyon"},
        follow=True,
    )
    text = saved.content.decode()
    assert "x 56/280" in text  # 24 + 2 + 5 (#lyon) + 2, and 23 for the URL
    # The live counter gets every registered network's rule from the page, none from the script.
    assert "data-rules=" in text and "&quot;code&quot;: &quot;mastodon&quot;" in text
    assert "&quot;short_mentions&quot;: true" in text
    assert "Prefer “salariés”" in text
    message = item.messages.get()
    client.post(f"/console/content/{item.pk}/messages/{message.pk}/apply/0")
    message.refresh_from_db()
    assert message.text == "Merci aux salariés"


def test_workflow_submit_send_back_approve_publish_with_audit(persona, client_for, program) -> None:
    marketer, admin = client_for(persona.marketer), client_for(persona.admin)
    _create(marketer, program, url="https://example.com/a", title="A")
    item = ContentItem.objects.get()
    assert marketer.post(f"/console/content/{item.pk}/do/submit").status_code == 302
    # Admins are not reviewers of this program by default: marketing is.
    admin.post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED
    marketer.post(f"/console/content/{item.pk}/do/send_back", {"comment": "Le titre, svp"})
    item.refresh_from_db()
    assert item.status == Status.DRAFT
    assert item.comments.get().text == "Le titre, svp"
    marketer.post(f"/console/content/{item.pk}/do/submit")
    # Four-eyes review: internal communications approves marketing's item.
    client_for(persona.comms).post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.published_at is not None
    assert ContentVersion.objects.filter(item=item).count() == 1
    actions = set(
        AuditEvent.objects.filter(target_id=str(item.pk)).values_list("action", flat=True)
    )
    assert {
        "content.item_created",
        "content.item_submitted",
        "content.item_draft",
        "content.item_approved",
        "content.item_published",
    } <= actions


def test_send_back_needs_a_comment(persona, client_for, program) -> None:
    client = client_for(persona.marketer)
    _create(client, program, url="https://example.com/a", title="A")
    item = ContentItem.objects.get()
    client.post(f"/console/content/{item.pk}/do/submit")
    response = client.post(f"/console/content/{item.pk}/do/send_back", follow=True)
    assert "Say what should change" in response.content.decode()


def test_a_regulated_program_needs_another_approver_and_keeps_versions(
    persona, client_for, program
) -> None:
    policy = ProgramContentPolicy.objects.create(
        program=program, reviewer_roles=["marketing"], regulated=True
    )
    policy.compliance_reviewers.add(persona.sales)
    marketer = client_for(persona.marketer)
    _create(marketer, program, url="https://example.com/a", title="A")
    item = ContentItem.objects.get()
    marketer.post(f"/console/content/{item.pk}/do/publish")
    item.refresh_from_db()
    assert item.status == Status.DRAFT  # no publishing without approval
    marketer.post(f"/console/content/{item.pk}/do/submit")
    response = marketer.post(f"/console/content/{item.pk}/do/approve", follow=True)
    assert "someone other than the author" in response.content.decode()
    client_for(persona.sales).post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
    version = ContentVersion.objects.get(item=item)
    assert version.keep_until is not None
    assert version.keep_until - version.published_at >= timedelta(days=3 * 365)


def test_approving_a_future_item_schedules_it(persona, client_for, program) -> None:
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    client = client_for(persona.marketer)
    _create(client, program, url="https://example.com/a", title="A", publish_from=later)
    item = ContentItem.objects.get()
    client.post(f"/console/content/{item.pk}/do/submit")
    client_for(persona.comms).post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.status == Status.APPROVED


def test_internal_news_has_no_messages(persona, client_for, program) -> None:
    client = client_for(persona.comms)
    _create(client, program, kind="internal_news", title="Pot de départ", body="Vendredi")
    item = ContentItem.objects.get()
    response = client.post(
        f"/console/content/{item.pk}/messages",
        {"language": "fr", "network": "any", "text": "À partager"},
    )
    assert response.status_code == 422
    assert "it is never shared" in response.content.decode()
    assert not item.messages.exists()


def test_targeting_is_saved(persona, client_for, program) -> None:
    sales = DepartmentFactory(organisation=persona.organisation, name="Ventes")
    client = client_for(persona.marketer)
    _create(
        client,
        program,
        url="https://example.com/a",
        title="A",
        departments=[sales.pk],
        target_languages=["fr"],
    )
    item = ContentItem.objects.get()
    assert item.targets_departments and item.targets_languages
    assert not item.targets_sites
    assert list(item.target_departments.all()) == [sales]


def test_another_organisations_item_is_not_found(persona, client_for, program) -> None:
    client = client_for(persona.marketer)
    _create(client, program, url="https://example.com/a", title="A")
    item = ContentItem.objects.get()
    outsider = client_for(persona.outsider)
    assert outsider.get(f"/console/content/{item.pk}/").status_code == 404
    assert outsider.post(f"/console/content/{item.pk}/do/archive").status_code == 404
    assert outsider.get(f"/api/v1/content/items/{item.pk}").status_code == 404


def test_the_content_mix_warns_above_the_threshold(persona, client_for, program) -> None:
    from ambassade.content.models import Category

    promo = Category.objects.create(
        organisation=persona.organisation, name="Offres", promotional=True
    )
    news = Category.objects.create(organisation=persona.organisation, name="Vie", promotional=False)
    now = timezone.now()
    for index in range(5):
        ContentItem.objects.create(
            organisation=persona.organisation,
            program=program,
            title=f"Item {index}",
            status=Status.PUBLISHED,
            published_at=now - timedelta(days=index),
            category=promo if index < 2 else news,
        )
    page = client_for(persona.marketer).get("/console/content/").content.decode()
    assert "40% promotional (2 of 5 items published)" in page
    assert "Above 20%" in page


def test_an_oversized_upload_is_refused(persona, client_for, program) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(persona.marketer)
    _create(client, program, kind="text", title="Bravo", body="Bravo")
    item = ContentItem.objects.get()
    big = SimpleUploadedFile("big.jpg", b"\xff" * 8_100_000, "image/jpeg")
    response = client.post(f"/console/content/{item.pk}/image", {"image": big})
    assert response.status_code == 422
    assert "larger than 8 MB" in response.content.decode()


def test_the_guidelines_page_adds_terms_and_disclosures(persona, client_for) -> None:
    client = client_for(persona.comms)
    missing_reason = client.post(
        "/console/content/guidelines/",
        {"add_term": "1", "kind": "confidential", "text": "Projet Hélios"},
    )
    assert "Say why" in missing_reason.content.decode()
    client.post(
        "/console/content/guidelines/",
        {"add_term": "1", "kind": "confidential", "text": "Projet Hélios", "reason": "Secret"},
    )
    client.post(
        "/console/content/guidelines/",
        {"set_disclosure": "1", "network": "linkedin", "text": "#SalariéAcme"},
    )
    page = client.get("/console/content/guidelines/").content.decode()
    assert "Projet Hélios" in page and "#SalariéAcme" in page
    assert client_for(persona.hr).get("/console/content/guidelines/").status_code == 403


def test_admins_set_the_content_settings_with_checked_hosts(persona, client_for) -> None:
    from ambassade.content.models import ContentSettings

    admin = client_for(persona.admin)
    values = {"save_settings": "1", "promotional_threshold": 30, "trusted_after": 3}
    bad = admin.post("/console/content/setup/", {**values, "allowed_hosts": "http://x/y"})
    assert "is not a host name" in bad.content.decode()
    admin.post("/console/content/setup/", {**values, "allowed_hosts": "News.Acme.example\n"})
    found = ContentSettings.objects.get(organisation=persona.organisation)
    assert found.promotional_threshold == 30 and found.allowed_hosts == "news.acme.example"
    # Internal communications edits channels but not these settings.
    client_for(persona.comms).post(
        "/console/content/setup/", {**values, "allowed_hosts": "evil.example"}
    )
    assert ContentSettings.objects.get().allowed_hosts == "news.acme.example"
    # Marketing, who produces the content, owns the threshold and the hosts.
    client_for(persona.marketer).post(
        "/console/content/setup/",
        {**values, "promotional_threshold": 25, "allowed_hosts": "feeds.acme.example"},
    )
    found = ContentSettings.objects.get()
    assert found.promotional_threshold == 25 and found.allowed_hosts == "feeds.acme.example"


def test_who_approves_is_set_per_program(persona, client_for, program) -> None:
    marketer = client_for(persona.marketer)
    empty = marketer.post(f"/console/content/setup/programs/{program.pk}/", {})
    assert "Someone must be able to approve" in empty.content.decode()
    marketer.post(
        f"/console/content/setup/programs/{program.pk}/",
        {"reviewer_roles": ["admin"], "compliance_reviewers": [persona.coach.pk]},
    )
    _create(marketer, program, url="https://example.com/a", title="A")
    item = ContentItem.objects.get()
    marketer.post(f"/console/content/{item.pk}/do/submit")
    marketer.post(f"/console/content/{item.pk}/do/approve")  # marketing no longer approves
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED
    client_for(persona.coach).post(f"/console/content/{item.pk}/do/approve")
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED
