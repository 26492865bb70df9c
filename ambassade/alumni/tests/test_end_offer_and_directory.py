"""HR ends someone's alumni offer (console and API): reason in the audit log only, a
neutral message, alumni enrolments ended, waiting posts cancelled, tokens forgotten. And
the opt-in alumni directory."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ambassade.alumni.tests.conftest import make_item
from ambassade.core.models import AuditEvent, DomainEvent
from ambassade.programs.models import Enrolment
from ambassade.sharing.models import Share, ShareTarget, SocialAccount, TargetStatus
from ambassade.sharing.networks.base import Credentials
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

REASON = "A rejoint un concurrent direct (Nordlys)."


@pytest.fixture
def waiting_post(persona, program, alumni) -> ShareTarget:
    account = SocialAccount(
        organisation=alumni.organisation,
        person=alumni,
        network="bluesky",
        remote_id="did:plc:ines",
        handle="ines.example",
    )
    account.store(Credentials(secrets={"token": "tok-alumni-SECRET"}))
    account.save()
    item = make_item(persona, program, "Portes ouvertes anciens", for_alumni=True)
    share = Share.objects.create(
        organisation=alumni.organisation, person=alumni, item=item, message="Venez !"
    )
    return ShareTarget.objects.create(
        organisation=alumni.organisation,
        share=share,
        account=account,
        network="bluesky",
        status=TargetStatus.SCHEDULED,
        scheduled_at=timezone.now() + timedelta(days=1),
    )


def test_hr_ends_the_alumni_offer_from_the_person_page(
    persona, alumni, waiting_post, client_for, django_capture_on_commit_callbacks
) -> None:
    hr = client_for(persona.hr)
    page = hr.get(f"/console/people/{alumni.pk}/").content.decode()
    assert f"/console/people/{alumni.pk}/end-alumni-offer/" in page
    assert hr.get(f"/console/people/{alumni.pk}/end-alumni-offer/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        answer = hr.post(f"/console/people/{alumni.pk}/end-alumni-offer/", {"reason": REASON})
    assert answer.status_code == 302
    alumni.refresh_from_db()
    assert not alumni.alumni
    row = AuditEvent.objects.get(action="person.alumni_offer_ended")
    assert row.after["reason"] == REASON
    assert DomainEvent.objects.filter(name="people.alumni_offer_ended").count() == 1
    # The person gets one neutral message that does not repeat the reason.
    sent = [message for message in mail.outbox if alumni.email in message.to]
    assert len(sent) == 1
    assert "Nordlys" not in sent[0].body and "concurrent" not in sent[0].body
    assert "thank" in sent[0].body.lower() or "merci" in sent[0].body.lower()
    # Alumni enrolments end, waiting posts are cancelled, tokens forgotten.
    assert Enrolment.objects.get(person=alumni).status == Enrolment.Status.ENDED
    waiting_post.refresh_from_db()
    assert waiting_post.status == TargetStatus.CANCELLED
    account = SocialAccount.objects.get(person=alumni)
    assert account.secrets == ""
    assert account.status == SocialAccount.Status.DISCONNECTED
    # They no longer open the alumni space.
    assert client_for(alumni).get("/feed/").status_code in {403, 404}


@pytest.mark.parametrize("name", ["admin", "marketer", "comms", "sales", "coach", "employee"])
def test_only_hr_and_admins_end_the_offer(persona, alumni, client_for, name) -> None:
    answer = client_for(getattr(persona, name)).post(
        f"/console/people/{alumni.pk}/end-alumni-offer/", {"reason": REASON}
    )
    alumni.refresh_from_db()
    if name == "admin":
        assert answer.status_code == 302 and not alumni.alumni
    else:
        assert answer.status_code == 403 and alumni.alumni


def test_a_reason_is_required(persona, alumni, client_for) -> None:
    answer = client_for(persona.hr).post(
        f"/console/people/{alumni.pk}/end-alumni-offer/", {"reason": " "}
    )
    assert answer.status_code == 200
    alumni.refresh_from_db()
    assert alumni.alumni


def _token(client: Client, scopes: list[str]) -> Client:
    secret = client.post(
        "/api/v1/tokens", {"name": "api", "scopes": scopes}, content_type="application/json"
    ).json()["secret"]
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_hr_ends_the_offer_through_the_api(
    persona, alumni, waiting_post, client_for, django_capture_on_commit_callbacks
) -> None:
    api = _token(client_for(persona.hr), ["people:write"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(
            f"/api/v1/people/{alumni.pk}/alumni-offer/end",
            {"reason": REASON},
            content_type="application/json",
        )
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"person_id": alumni.pk, "alumni": False}
    waiting_post.refresh_from_db()
    assert waiting_post.status == TargetStatus.CANCELLED
    again = api.post(
        f"/api/v1/people/{alumni.pk}/alumni-offer/end",
        {"reason": REASON},
        content_type="application/json",
    )
    assert again.status_code == 422
    assert again.json()["error"]["code"]
    outsider = _token(client_for(persona.outsider), ["people:write"])
    assert (
        outsider.post(
            f"/api/v1/people/{alumni.pk}/alumni-offer/end",
            {"reason": REASON},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_stopping_being_an_alumni_ends_the_alumni_space(
    alumni, waiting_post, client_for, django_capture_on_commit_callbacks
) -> None:
    client = client_for(alumni)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/me/alumni/", {"choice": "no"})
    assert answer.status_code == 302
    assert Enrolment.objects.get(person=alumni).status == Enrolment.Status.ENDED
    waiting_post.refresh_from_db()
    assert waiting_post.status == TargetStatus.CANCELLED


def test_the_directory_is_opt_in(persona, alumni, client_for) -> None:
    other = PersonFactory(
        organisation=persona.organisation,
        email="paul@example.com",
        first_name="Paul",
        last_name="Garnier",
        employment_status="left",
        alumni=True,
        with_user=True,
    )
    ines, paul = client_for(alumni), client_for(other)
    # Not listed: sees nobody, and nobody sees them.
    ines.post("/me/alumni/directory/", {"current_role": ""})
    paul.post("/me/alumni/directory/", {"listed": "on", "current_role": "CTO chez Nordlys"})
    assert "Paul Garnier" not in ines.get("/me/alumni/directory/").content.decode()
    assert "Inès Moreau" not in paul.get("/me/alumni/directory/").content.decode()
    ines.post("/me/alumni/directory/", {"listed": "on", "current_role": "Consultante"})
    page = ines.get("/me/alumni/directory/").content.decode()
    assert "Paul Garnier" in page and "CTO chez Nordlys" in page
    assert f"left in {alumni.end_date.year}" in page
    # HR and internal communications read it; others of the console do not.
    assert "Inès Moreau" in client_for(persona.hr).get("/console/alumni/").content.decode()
    assert client_for(persona.comms).get("/console/alumni/").status_code == 200
    assert client_for(persona.marketer).get("/console/alumni/").status_code == 403
    assert client_for(persona.employee).get("/me/alumni/directory/").status_code == 403


def test_the_directory_through_the_api(persona, alumni, client_for) -> None:
    api = _token(client_for(alumni), ["profile:write"])
    assert api.get("/api/v1/me/alumni/directory-entry").json() == {
        "listed": False,
        "current_role": "",
    }
    assert api.get("/api/v1/alumni/directory").status_code == 403
    saved = api.put(
        "/api/v1/me/alumni/directory-entry",
        {"listed": True, "current_role": "Consultante"},
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    rows = api.get("/api/v1/alumni/directory").json()
    assert [(row["name"], row["current_role"]) for row in rows] == [("Inès Moreau", "Consultante")]
    hr = _token(client_for(persona.hr), ["people:read"])
    assert len(hr.get("/api/v1/alumni/directory").json()) == 1
    marketer = _token(client_for(persona.marketer), ["people:read"])
    assert marketer.get("/api/v1/alumni/directory").status_code == 403


def test_the_directory_entry_is_in_the_export_and_goes_with_erasure(alumni, client_for) -> None:
    from ambassade.alumni.models import DirectoryEntry
    from ambassade.core import personal_data

    client_for(alumni).post("/me/alumni/directory/", {"listed": "on", "current_role": "CTO"})
    exported = personal_data.collect(alumni)["alumni"]
    assert exported["directory_entry"]["current_role"] == "CTO"
    personal_data.anonymise(alumni)
    assert not DirectoryEntry.objects.filter(person=alumni).exists()
