"""Departures, the alumni offer, retention, personal-data export and erasure."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from ambassade.accounts.models import User
from ambassade.core import periodic
from ambassade.core.models import AuditEvent
from ambassade.core.roles import Role
from ambassade.people import signals, tasks
from ambassade.people.models import (
    AccountInvitation,
    ApiToken,
    HrNote,
    Person,
    RoleAssignment,
    SelfAssessment,
)
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def make_token(client) -> str:
    response = client.post(
        "/api/v1/tokens", {"name": "s", "scopes": ["profile:read"]}, content_type="application/json"
    )
    return response.json()["secret"]


def test_the_lifecycle_jobs_are_registered() -> None:
    assert periodic.REGISTRY[tasks.process_departures.module_path].interval == timedelta(hours=1)
    assert periodic.REGISTRY[tasks.anonymise_after_retention.module_path].interval == timedelta(
        days=1
    )


def test_a_reached_end_date_ends_access(persona, client_for) -> None:
    employee = persona.employee
    client = client_for(employee)
    secret = make_token(client)
    departed = []

    def receiver(sender, person, actor, **kwargs):
        departed.append((person.pk, actor))

    employee.end_date = timezone.localdate()
    employee.save()
    signals.person_departed.connect(receiver)
    try:
        result = tasks.process_departures.call()
    finally:
        signals.person_departed.disconnect(receiver)
    assert result["departed"] == 1
    assert departed == [(employee.pk, None)]
    employee.refresh_from_db()
    assert employee.employment_status == "left"
    assert ApiToken.objects.get().revoked_at is not None
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    # Their sign-in no longer reaches the organisation.
    assert client.get("/me/").status_code == 404
    event = AuditEvent.objects.get(action="person.departed")
    assert event.after["tokens_revoked"] == 1
    assert tasks.process_departures.call()["departed"] == 0  # once only


def test_the_departure_notice_comes_before_the_end_date(persona, committed) -> None:
    leaving = persona.employee
    leaving.end_date = timezone.localdate() + timedelta(days=10)
    leaving.save()
    later = PersonFactory(
        organisation=persona.organisation, end_date=timezone.localdate() + timedelta(days=30)
    )
    with committed():
        assert tasks.process_departures.call() == {"notices": 1, "departed": 0}
        assert tasks.process_departures.call() == {"notices": 0, "departed": 0}
    [message] = mail.outbox
    assert message.to == [leaving.email]
    assert "https://ambassade.example/me/data.zip" in message.body
    assert "https://ambassade.example/me/alumni/" in message.body
    later.refresh_from_db()
    assert later.departure_notice_sent_at is None


def test_the_notice_period_is_an_organisation_setting(persona, client_for, committed) -> None:
    persona.organisation.languages = ["fr", "en"]
    persona.organisation.save()
    response = client_for(persona.admin).post(
        "/console/settings/",
        {
            "name": "Acme",
            "default_language": "fr",
            "brand_colour": "#1d3f8f",
            "departure_notice_days": "40",
            "retention_days_after_departure": "365",
            "time_zone": "Europe/Paris",
            "languages": ["fr", "en"],
        },
    )
    assert response.status_code == 302
    PersonFactory(
        organisation=persona.organisation, end_date=timezone.localdate() + timedelta(days=30)
    )
    with committed():
        assert tasks.process_departures.call()["notices"] == 1
    event = AuditEvent.objects.get(action="organisation.settings_changed")
    assert event.before == {"departure_notice_days": 14}
    assert event.after == {"departure_notice_days": 40}


def test_organisation_settings_are_validated_and_for_admins(persona, client_for) -> None:
    client = client_for(persona.admin)
    response = client.patch(
        "/api/v1/organisation/settings", {"brand_colour": "blue"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "brand_colour"
    ok = client.patch(
        "/api/v1/organisation/settings",
        {"retention_days_after_departure": 90},
        content_type="application/json",
    )
    assert ok.json()["retention_days_after_departure"] == 90
    assert client_for(persona.hr).get("/console/settings/").status_code == 403
    assert (
        client_for(persona.outsider).get("/api/v1/organisation/settings").json()["slug"]
        == "elsewhere"
    )


def test_a_leaving_person_may_become_an_alumni(persona, client_for) -> None:
    leaving = persona.employee
    client = client_for(leaving)
    assert "There is nothing to decide for now." in client.get("/me/alumni/").content.decode()
    leaving.end_date = timezone.localdate() + timedelta(days=5)
    leaving.save()
    assert client.post("/me/alumni/", {"choice": "yes"}).status_code == 302
    leaving.refresh_from_db()
    assert leaving.alumni and leaving.alumni_since is not None
    event = AuditEvent.objects.get(action="person.alumni_chosen")
    assert (event.before, event.after) == ({"alumni": False}, {"alumni": True})
    Person.objects.filter(pk=leaving.pk).update(end_date=timezone.localdate())
    tasks.process_departures.call()
    # The alumni keeps a restricted sign-in: their own space (docs/alumni.md; personal
    # tokens within the alumni scopes), nothing of an employee's or of the console.
    assert client.get("/me/").status_code == 200
    assert client.get("/me/data.zip").status_code == 200
    assert client.get("/me/tokens/").status_code == 200
    assert client.get("/me/self-assessment/").status_code == 403
    assert client.get("/console/").status_code == 403
    assert (
        client.post("/api/v1/me/alumni", {"alumni": False}, content_type="application/json").json()[
            "alumni"
        ]
        is False
    )
    assert client.get("/me/").status_code == 404  # no longer an alumni: no access


def test_the_alumni_offer_is_for_leaving_people_only(persona, client_for) -> None:
    response = client_for(persona.employee).post(
        "/api/v1/me/alumni", {"alumni": True}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "The alumni offer is for people who are leaving."


def left_long_ago(person: Person, days: int = 400) -> None:
    Person.objects.filter(pk=person.pk).update(
        employment_status="left", end_date=timezone.localdate() - timedelta(days=days)
    )


def test_retention_anonymises_former_employees_but_keeps_the_rows(persona, client_for) -> None:
    gone = persona.employee
    HrNote.objects.create(person=gone, text="private")
    SelfAssessment.objects.create(
        person=gone, social_comfort=3, motivation=3, willingness_to_learn=3
    )
    PersonFactory(organisation=persona.organisation, manager=gone)
    alumni = PersonFactory(organisation=persona.organisation, alumni=True)
    recent = PersonFactory(organisation=persona.organisation)
    left_long_ago(gone)
    left_long_ago(alumni)
    left_long_ago(recent, days=100)
    user_id, first_name = gone.user_id, gone.first_name
    rows = Person.objects.count()
    assert tasks.anonymise_after_retention.call() == {"anonymised": 1}
    assert Person.objects.count() == rows
    gone.refresh_from_db()
    assert gone.full_name == "Former employee"
    assert gone.email == f"former-{gone.pk}@anonymised.invalid"
    assert (gone.job_title, gone.languages, gone.manager, gone.user) == ("", [], None, None)
    assert gone.anonymised_at is not None
    assert not User.objects.filter(pk=user_id).exists()
    assert not HrNote.objects.filter(person=gone).exists()
    assert not SelfAssessment.objects.filter(person=gone).exists()
    # Aggregates over the organisation stay right.
    assert (
        Person.objects.filter(organisation=persona.organisation, employment_status="left").count()
        == 3
    )
    event = AuditEvent.objects.get(action="person.anonymised")
    assert event.after == {"reason": "retention"}
    assert "employee@example.com" not in json.dumps([event.target_label, event.after])
    assert not AuditEvent.objects.filter(target_label__contains=first_name).exists()
    alumni.refresh_from_db()
    recent.refresh_from_db()
    assert alumni.anonymised_at is None and recent.anonymised_at is None
    assert tasks.anonymise_after_retention.call() == {"anonymised": 0}


def test_an_account_with_another_membership_is_kept(persona) -> None:
    PersonFactory(
        organisation=persona.outsider.organisation,
        email="x@example.com",
        user=persona.employee.user,
    )
    left_long_ago(persona.employee)
    tasks.anonymise_after_retention.call()
    assert User.objects.filter(pk=persona.employee.user_id).exists()


def read_zip(content: bytes) -> dict[str, object]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: json.loads(archive.read(name))
            if name.endswith(".json")
            else archive.read(name).decode()
            for name in archive.namelist()
        }


def test_a_person_downloads_their_data(persona, client_for) -> None:
    SelfAssessment.objects.create(
        person=persona.employee,
        social_comfort=2,
        motivation=4,
        willingness_to_learn=5,
        comment="hi",
    )
    HrNote.objects.create(person=persona.employee, text="met at the fair", author_label="HR")
    client = client_for(persona.employee)
    make_token(client)
    response = client.get("/me/data.zip")
    assert response["Content-Type"] == "application/zip"
    files = read_zip(response.content)
    assert {
        "README.txt",
        "profile.json",
        "account.json",
        "self_assessment.json",
        "hr_notes.json",
        "api_tokens.json",
    } <= set(files)
    assert files["profile.json"]["email"] == "employee@example.com"
    assert files["self_assessment.json"]["comment"] == "hi"
    assert files["hr_notes.json"][0]["text"] == "met at the fair"
    assert "secret_hash" not in json.dumps(files["api_tokens.json"])
    event = AuditEvent.objects.filter(action="person.personal_data_exported").get()
    assert event.after["by"] == "self"


def test_admins_download_a_persons_data(persona, client_for) -> None:
    response = client_for(persona.admin).get(f"/console/people/{persona.employee.pk}/data.zip")
    assert read_zip(response.content)["profile.json"]["email"] == "employee@example.com"
    api = client_for(persona.admin).get(f"/api/v1/people/{persona.employee.pk}/personal-data")
    assert api["Content-Type"] == "application/zip"
    assert (
        AuditEvent.objects.filter(action="person.personal_data_exported", after__by="admin").count()
        == 2
    )
    assert (
        client_for(persona.hr).get(f"/console/people/{persona.employee.pk}/data.zip").status_code
        == 403
    )


def test_admins_erase_a_person_after_confirming(persona, client_for) -> None:
    client = client_for(persona.admin)
    url = f"/console/people/{persona.employee.pk}/erase/"
    assert "Erasing cannot be undone" in client.get(url).content.decode()
    unconfirmed = client.post(url, {}, follow=True)
    assert "Tick the box to confirm the erasure." in unconfirmed.content.decode()
    persona.employee.refresh_from_db()
    assert persona.employee.anonymised_at is None
    assert client.post(url, {"confirm": "erase"}).status_code == 302
    persona.employee.refresh_from_db()
    assert persona.employee.anonymised_at is not None
    assert persona.employee.employment_status == "left"  # an erased employee has left
    assert AuditEvent.objects.filter(action="person.departed").count() == 1
    assert AuditEvent.objects.get(action="person.anonymised").after == {"reason": "erasure"}


def test_erasure_through_the_api_and_its_limits(persona, client_for) -> None:
    client = client_for(persona.admin)
    assert client.post(f"/api/v1/people/{persona.comms.pk}/erasure").status_code == 204
    last_admin = client.post(f"/api/v1/people/{persona.admin.pk}/erasure")
    assert last_admin.status_code == 422
    assert "last admin" in last_admin.json()["error"]["message"]
    assert client_for(persona.hr).post(
        f"/api/v1/people/{persona.employee.pk}/erasure"
    ).status_code in {403, 404}


def test_a_person_asks_for_erasure_and_admins_are_told(persona, client_for, committed) -> None:
    client = client_for(persona.employee)
    with committed():
        assert client.post("/me/erasure-request").status_code == 302
    assert [message.to for message in mail.outbox] == [["admin@example.com"]]
    assert f"/console/people/{persona.employee.pk}/erase/" in mail.outbox[0].body
    assert "the admins have been told" in client.get("/me/").content.decode()
    assert client.post("/api/v1/me/erasure-request").status_code == 202
    assert len(mail.outbox) == 1  # asked once, told once


def test_marking_left_now_revokes_pending_invitations(persona, client_for) -> None:
    newcomer = PersonFactory(organisation=persona.organisation)
    client = client_for(persona.hr)
    client.post(f"/console/people/{newcomer.pk}/invite")
    assert client.post(f"/console/people/{newcomer.pk}/left").status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.employment_status == "left"
    assert newcomer.end_date == timezone.localdate()
    assert AccountInvitation.objects.get().revoked_at is not None


def test_an_end_date_recorded_through_the_api(persona, client_for) -> None:
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = client_for(persona.hr).post(
        f"/api/v1/people/{persona.employee.pk}/departure",
        {"end_date": day},
        content_type="application/json",
    )
    assert response.json()["end_date"] == day
    assert response.json()["employment_status"] == "active"
    assert RoleAssignment.objects.filter(person=persona.admin, role=Role.ADMIN).exists()
