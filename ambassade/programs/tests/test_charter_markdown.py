"""The charter written like a document: Markdown rendered and sanitised, previews, texts
to start from in each language, older HTML charters, and who must re-accept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ambassade.core.models import AuditEvent
from ambassade.programs import actions, charter
from ambassade.programs.models import CharterVersion, Enrolment
from ambassade.programs.tests.conftest import CHARTER_FR, as_actor

pytestmark = pytest.mark.django_db

MARKDOWN_FR = (
    "# Rôles\n\nChacun reste **propriétaire** de ses comptes.\n\n"
    "- une [charte](https://example.com/charte)\n- un *engagement*\n\n"
    '<script>alert(1)</script>\n\n[piège](javascript:alert(1)) <img src="x">'
)


def test_markdown_is_rendered_then_sanitised(persona, client_for, program) -> None:
    client = client_for(persona.hr)
    response = client.post(
        f"/console/programs/{program.pk}/charter/",
        {"body_fr": MARKDOWN_FR, "body_en": "## Roles\n\nYours.", "change_summary": ""},
    )
    assert response.status_code == 302
    version = CharterVersion.objects.get(program=program, number=2)
    assert version.source_fr == MARKDOWN_FR.strip()  # kept as written, to edit again
    body = version.body_fr
    assert "<h2>Rôles</h2>" in body  # a "#" heading is a section of the page
    assert "<strong>propriétaire</strong>" in body and "<em>engagement</em>" in body
    assert '<a href="https://example.com/charte" rel="noopener">charte</a>' in body
    assert "<li>" in body
    assert "<script" not in body and 'href="javascript' not in body and "<img" not in body
    # The draft's page offers the text as written, not the HTML.
    page = client.get(f"/console/programs/{program.pk}/charter/{version.pk}/").content.decode()
    assert "# Rôles" in page


def test_the_preview_shows_the_text_without_saving_it(persona, client_for, program) -> None:
    client = client_for(persona.hr)
    page = client.post(
        f"/console/programs/{program.pk}/charter/",
        {"body_fr": "## Nos règles\n\n**Gras**", "body_en": "## Our rules", "preview": "1"},
    ).content.decode()
    assert '<div id="preview-fr" aria-live="polite"><h2>Nos règles</h2>' in page
    assert "<strong>Gras</strong>" in page
    assert not CharterVersion.objects.filter(program=program, number=2).exists()
    live = client.post(
        f"/console/programs/{program.pk}/charter/preview", {"text": "- *un*\n<script>x</script>"}
    )
    assert live.status_code == 200
    assert live.content.decode().startswith("<ul>\n<li><em>un</em></li>")
    assert "script" not in live.content.decode()
    assert client_for(persona.ambassador).post(
        f"/console/programs/{program.pk}/charter/preview", {"text": "x"}
    ).status_code in {302, 403}


def test_each_language_starts_from_its_own_words(persona, client_for) -> None:
    new = actions.create_program(
        as_actor(persona.marketer), name="Nouveau", description="", objectives=["employer_brand"]
    )
    page = client_for(persona.hr).get(f"/console/programs/{new.pk}/charter/").content.decode()
    english = page.split('name="body_en"')[1].split("</textarea>")[0]
    french = page.split('name="body_fr"')[1].split("</textarea>")[0]
    assert "## Roles and responsibilities" in english
    assert "Rôles" not in english and "objectifs" not in english
    assert "## " in french and "objectifs" in french


def test_charters_written_in_html_keep_rendering(persona, client_for, program) -> None:
    version = CharterVersion.objects.get(program=program, number=1)
    version.source_fr = version.source_en = ""  # as before the move to Markdown
    version.save()
    assert charter.render(CHARTER_FR) == charter.sanitise(CHARTER_FR)
    page = client_for(persona.hr).get(f"/console/programs/{program.pk}/charter/").content.decode()
    assert "&lt;h2&gt;Rôles&lt;/h2&gt;" in page  # the older text is offered as written


def test_hr_sees_who_must_reaccept_and_reminds_them_once_a_day(
    persona, client_for, program, enrol, immediate_tasks, mailoutbox
) -> None:
    first = enrol(persona.ambassador)
    second = enrol(persona.employee)
    client = client_for(persona.hr)
    client.post(
        f"/console/programs/{program.pk}/charter/",
        {"body_fr": "## Rôles\n\nNouveau.", "body_en": "## Roles\n\nNew.", "change_summary": "x"},
    )
    version = CharterVersion.objects.get(program=program, number=2)
    with immediate_tasks():
        client.post(f"/console/programs/{program.pk}/charter/{version.pk}/publish")
    mailoutbox.clear()
    page = client.get(f"/console/programs/{program.pk}/charter/").content.decode()
    assert persona.ambassador.full_name in page and persona.employee.full_name in page
    with immediate_tasks():
        client.post(f"/console/programs/{program.pk}/charter/remind", {"enrolment": first.pk})
    assert [message.to for message in mailoutbox] == [[persona.ambassador.email]]
    with immediate_tasks():
        response = client.post(f"/console/programs/{program.pk}/charter/remind", follow=True)
    # Only the one not reminded today gets a mail.
    assert [message.to for message in mailoutbox][1:] == [[persona.employee.email]]
    assert "already reminded less than a day ago" in response.content.decode()
    assert AuditEvent.objects.filter(action="charter.reacceptance_reminded").count() == 2
    Enrolment.objects.filter(pk=first.pk).update(
        reacceptance_reminded_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    with immediate_tasks():
        client.post(f"/console/programs/{program.pk}/charter/remind")
    assert mailoutbox[-1].to == [persona.ambassador.email] and len(mailoutbox) == 3
    second.refresh_from_db()
    assert second.reacceptance_reminded_at is not None


def test_the_api_takes_markdown_and_returns_both_forms(persona, client_for, program) -> None:
    response = client_for(persona.hr).post(
        f"/api/v1/programs/{program.pk}/charter-versions",
        {"body_fr": "## Rôles\n\n- *un*", "body_en": "## Roles\n\n- *one*"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["source_en"] == "## Roles\n\n- *one*"
    assert created["body_en"] == "<h2>Roles</h2>\n<ul>\n<li><em>one</em></li>\n</ul>"
