"""Departure, change of position, personal data: the programs' side of the lifecycle."""

from __future__ import annotations

import pytest

from ambassade.core import personal_data
from ambassade.core.models import AuditEvent
from ambassade.people.models import Person
from ambassade.people.signals import person_departed, person_position_changed
from ambassade.programs.models import CharterAcceptance, Enrolment, Invitation
from ambassade.programs.tests.conftest import as_actor, kind

pytestmark = pytest.mark.django_db


def test_a_departure_ends_enrolments_and_expires_invitations(persona, program, enrol, invite):
    enrolment = enrol(persona.ambassador)
    from ambassade.programs import actions

    marketer = as_actor(persona.marketer)
    other = actions.create_program(marketer, name="Autre", objectives=["sales"])
    invitation = invite(persona.ambassador, target=other)
    person_departed.send(sender=Person, person=persona.ambassador, actor=None)
    enrolment.refresh_from_db()
    invitation.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENDED
    assert enrolment.ended_at is not None
    assert invitation.status == Invitation.Status.EXPIRED
    assert AuditEvent.objects.filter(action="enrolment.ended_on_departure").count() == 1
    assert AuditEvent.objects.filter(action="programs.person_departed").exists()


def test_a_change_of_position_asks_the_person_to_confirm_their_type(
    persona, client_for, program, enrol, immediate_tasks, mailoutbox
):
    enrolment = enrol(persona.ambassador, "supporter")
    persona.ambassador.job_title = "Ingénieur commercial"
    persona.ambassador.save()
    with immediate_tasks():
        person_position_changed.send(
            sender=Person,
            person=persona.ambassador,
            actor=None,
            before={"job_title": "Engineer"},
            after={"job_title": "Ingénieur commercial"},
        )
    enrolment.refresh_from_db()
    # Nothing changes until the person confirms.
    assert enrolment.ambassador_type.kind == "supporter"
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.needs_review
    assert enrolment.suggested_type.kind == "mission"
    assert "Ingénieur commercial" in enrolment.review_reason
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted([persona.ambassador.email, persona.hr.email])

    client = client_for(persona.ambassador)
    assert "confirm your ambassador type" in client.get("/me/programs/").content.decode()
    assert (
        client_for(persona.employee).get(f"/me/enrolments/{enrolment.pk}/review").status_code == 404
    )
    page = client.get(f"/me/enrolments/{enrolment.pk}/review").content.decode()
    assert "Ambassador by mission" in page
    # Only the current or the suggested type may be chosen.
    designated = kind(persona.organisation, "designated")
    client.post(f"/me/enrolments/{enrolment.pk}/review", {"ambassador_type": designated.pk})
    enrolment.refresh_from_db()
    assert enrolment.needs_review
    client.post(
        f"/me/enrolments/{enrolment.pk}/review",
        {"ambassador_type": kind(persona.organisation, "mission").pk},
    )
    enrolment.refresh_from_db()
    assert not enrolment.needs_review
    assert enrolment.ambassador_type.kind == "mission"


def test_the_export_and_the_anonymisation_cover_the_programs(persona, program, enrol):
    enrol(persona.ambassador)
    CharterAcceptance.objects.update(user_agent_family="Firefox")
    exported = personal_data.collect(persona.ambassador)["programs"]
    assert exported["enrolments"][0]["program"] == "Marque employeur"
    assert exported["charter_acceptances"][0]["user_agent_family"] == "Firefox"
    assert exported["invitations"][0]["status"] == "accepted"
    personal_data.anonymise(persona.ambassador)
    # Rows stay so that the program's counts stay right; identifying text goes.
    assert Enrolment.objects.filter(person=persona.ambassador).count() == 1
    assert CharterAcceptance.objects.get().user_agent_family == ""
