"""The charter: drafts, sanitising, publishing, and re-acceptance by ambassadors."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.core.exceptions import ValidationError

from ambassade.core.models import AuditEvent
from ambassade.programs import actions, selectors
from ambassade.programs.models import CharterAcceptance, CharterVersion, Enrolment
from ambassade.programs.tests.conftest import CHARTER_EN, CHARTER_FR, as_actor

pytestmark = pytest.mark.django_db


def _draft(client, program, **overrides):
    data = {"body_fr": CHARTER_FR, "body_en": CHARTER_EN, "change_summary": ""} | overrides
    return client.post(f"/console/programs/{program.pk}/charter/", data)


def test_the_editor_reminds_the_required_sections(persona, client_for, program) -> None:
    page = client_for(persona.comms).get(f"/console/programs/{program.pk}/charter/")
    text = page.content.decode()
    assert page.status_code == 200
    for section in (
        "Roles and responsibilities",
        "objectives",
        "Counterparts",
        "property",
        "data the company sees",
        "change of role and on departure",
    ):
        assert section in text


def test_hr_writes_a_draft_that_is_sanitised(persona, client_for, program) -> None:
    body = (
        '<p onclick="steal()">Bonjour <strong>à tous</strong></p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">x</a><a href="https://example.com" target="_blank">lien</a>'
        '<img src="x"><h2 style="color:red">Titre</h2>'
    )
    response = _draft(client_for(persona.hr), program, body_fr=body)
    version = CharterVersion.objects.get(program=program, number=2)
    assert response.status_code == 302
    assert version.status == "draft"
    assert "script" not in version.body_fr
    assert "onclick" not in version.body_fr
    assert "javascript" not in version.body_fr
    assert "<img" not in version.body_fr
    assert "style" not in version.body_fr
    assert '<a href="https://example.com" rel="noopener">lien</a>' in version.body_fr
    assert "<strong>à tous</strong>" in version.body_fr


@pytest.mark.parametrize("empty", ["", "   ", "<p></p>", "<p> </p><script>x</script>"])
def test_an_empty_body_is_refused_with_a_clear_message(persona, client_for, program, empty) -> None:
    response = _draft(client_for(persona.marketer), program, body_en=empty)
    assert response.status_code == 200
    assert "The English charter is empty" in response.content.decode()
    assert CharterVersion.objects.filter(program=program).count() == 1


def test_sales_and_coaches_do_not_write_the_charter(persona, client_for, program) -> None:
    for person in (persona.sales, persona.coach, persona.ambassador):
        assert _draft(client_for(person), program).status_code == 403


def test_publishing_freezes_the_text_and_stores_its_hash(persona, client_for, program) -> None:
    client = client_for(persona.comms)
    _draft(client, program, change_summary="Section données précisée.")
    version = CharterVersion.objects.get(program=program, number=2)
    response = client.post(f"/console/programs/{program.pk}/charter/{version.pk}/publish")
    assert response.status_code == 302
    version.refresh_from_db()
    expected = hashlib.sha256(
        json.dumps(
            {"en": version.body_en, "fr": version.body_fr}, sort_keys=True, ensure_ascii=False
        ).encode()
    ).hexdigest()
    assert version.status == "published"
    assert version.content_hash == expected
    page = client.get(f"/console/programs/{program.pk}/charter/{version.pk}/").content.decode()
    assert expected in page
    # Frozen: editing a published version is refused.
    client.post(
        f"/console/programs/{program.pk}/charter/{version.pk}/",
        {"body_fr": "<p>autre</p>", "body_en": "<p>other</p>"},
    )
    version.refresh_from_db()
    assert "autre" not in version.body_fr
    with pytest.raises(ValidationError):
        actions.save_charter_draft(
            as_actor(persona.comms),
            program,
            body_fr="<p>a</p>",
            body_en="<p>b</p>",
            version=version,
        )


def test_a_new_version_must_say_what_changed(persona, client_for, program) -> None:
    client = client_for(persona.marketer)
    _draft(client, program)
    version = CharterVersion.objects.get(program=program, number=2)
    client.post(f"/console/programs/{program.pk}/charter/{version.pk}/publish")
    version.refresh_from_db()
    assert version.status == "draft"


def test_a_new_version_pauses_ambassadors_and_mails_them(
    persona, client_for, program, enrol, immediate_tasks, mailoutbox
) -> None:
    enrolment = enrol(persona.ambassador)
    assert selectors.may_share(persona.ambassador, program)
    client = client_for(persona.marketer)
    _draft(
        client,
        program,
        change_summary="Nouvelle section sur les données.",
        body_en=CHARTER_EN + "<p>We never see your private messages.</p>",
    )
    version = CharterVersion.objects.get(program=program, number=2)
    with immediate_tasks():
        client.post(f"/console/programs/{program.pk}/charter/{version.pk}/publish")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PAUSED
    decision = selectors.may_share(persona.ambassador, program)
    assert not decision
    assert "new version of the charter" in decision.reason
    [message] = mailoutbox
    assert message.to == [persona.ambassador.email]
    assert f"/me/enrolments/{enrolment.pk}/charter/" in message.body
    # The HTML part's one button is the re-acceptance page (core/mail_layout.py).
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert re.findall(r'<a class="button"[^>]*href="([^"]+)"', html) == [
        re.search(r"\S+/me/enrolments/\d+/charter/", message.body).group(0)
    ]
    assert (
        AuditEvent.objects.get(action="charter.published", target_id=str(version.pk)).after[
            "paused_enrolments"
        ]
        == 1
    )

    # The ambassador space shows a banner on every page, and the page shows what changed.
    ambassador = client_for(persona.ambassador)
    me = ambassador.get("/me/").content.decode()
    assert "The charter of “Marque employeur” has changed" in me
    page = ambassador.get(f"/me/enrolments/{enrolment.pk}/charter/")
    text = page.content.decode()
    assert "Nouvelle section sur les données." in text
    assert "We never see your private messages." in text
    assert 'class="diff-added"' in text

    # Without ticking, nothing changes.
    response = ambassador.post(f"/me/enrolments/{enrolment.pk}/charter/", {})
    assert "I have read and accept the charter" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PAUSED

    ambassador.post(f"/me/enrolments/{enrolment.pk}/charter/", {"accept_charter": "on"})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.accepted_version == version
    assert CharterAcceptance.objects.filter(enrolment=enrolment, version=version).exists()
    assert selectors.may_share(persona.ambassador, program)
    assert "has changed" not in ambassador.get("/me/").content.decode()


def test_nobody_joins_before_a_charter_is_published(persona, client_for) -> None:
    from ambassade.programs.tests.conftest import kind

    program = actions.create_program(
        as_actor(persona.marketer), name="Sans charte", objectives=["sales"]
    )
    [invitation], _ = actions.invite(
        as_actor(persona.hr),
        program,
        [persona.employee],
        ambassador_type=kind(persona.organisation, "supporter"),
    )
    client = client_for(persona.employee)
    page = client.get(f"/me/invitations/{invitation.pk}/").content.decode()
    assert "not published yet" in page
    with pytest.raises(ValidationError):
        actions.accept_invitation(as_actor(persona.employee), invitation, charter_accepted=True)
    assert not Enrolment.objects.exists()


def test_may_share_explains_each_refusal(persona, program, enrol) -> None:
    assert selectors.may_share(persona.employee, program).reason == (
        "You are not enrolled in this program."
    )
    enrolment = enrol(persona.ambassador)
    assert selectors.may_share(persona.ambassador, program).allowed
    actions.leave(
        as_actor(persona.ambassador), enrolment, anonymise_history=False, disconnect_accounts=False
    )
    assert not selectors.may_share(persona.ambassador, program)
    assert not selectors.may_share(persona.outsider, program)
