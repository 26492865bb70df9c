"""The programs actions record their domain events (docs/events.md): once, with the
payload of the catalogue, and only when the action commits."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from ambassade.core.models import DomainEvent
from ambassade.people.models import Person
from ambassade.people.signals import person_departed
from ambassade.programs import actions
from ambassade.programs.models import CharterVersion, Enrolment, Invitation
from ambassade.programs.tests.conftest import CHARTER_EN, CHARTER_FR, as_actor, kind
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def payloads(name: str) -> list[dict[str, Any]]:
    return list(
        DomainEvent.objects.filter(name=name).order_by("pk").values_list("payload", flat=True)
    )


def _invite_page(client, program, emails: str, **extra: Any):
    data = {
        "emails": emails,
        "ambassador_type": kind(program.organisation, "supporter").pk,
        "campaign_name": "",
        "reminder_after_days": 7,
        "max_reminders": 2,
    } | extra
    return client.post(f"/console/programs/{program.pk}/invitations/", data)


def test_publishing_a_charter(persona, client_for, program, enrol) -> None:
    # The fixture's first version: nobody had accepted an older one.
    [first] = payloads("programs.charter_published")
    assert first == {"program_id": program.pk, "version": 1, "needs_reacceptance": False}
    enrol(persona.ambassador)
    client = client_for(persona.marketer)
    client.post(
        f"/console/programs/{program.pk}/charter/",
        {"body_fr": CHARTER_FR, "body_en": CHARTER_EN + "<p>More.</p>", "change_summary": "Plus"},
    )
    version = CharterVersion.objects.get(program=program, number=2)
    client.post(f"/console/programs/{program.pk}/charter/{version.pk}/publish")
    assert payloads("programs.charter_published")[1:] == [
        {"program_id": program.pk, "version": 2, "needs_reacceptance": True}
    ]
    response = client.post(f"/console/programs/{program.pk}/charter/{version.pk}/publish")
    assert response.status_code in {200, 302}  # refused: already published
    assert len(payloads("programs.charter_published")) == 2


def test_invitations_one_event_each(persona, client_for, program) -> None:
    people: list[Any] = [PersonFactory(organisation=persona.organisation) for _ in range(2)]
    hr = client_for(persona.hr)
    _invite_page(hr, program, persona.employee.email)
    _invite_page(hr, program, "\n".join(p.email for p in people), campaign_name="Printemps")
    invitations = list(Invitation.objects.order_by("pk"))
    assert len(invitations) == 3 and invitations[1].campaign_id is not None
    assert payloads("programs.invitation_sent") == [
        {"invitation_id": i.pk, "program_id": program.pk, "person_id": i.person_id}
        for i in invitations
    ]
    # Already invited: skipped, no new event.
    _invite_page(hr, program, persona.employee.email)
    assert len(payloads("programs.invitation_sent")) == 3


def test_accepting_then_leaving(persona, client_for, program, invite) -> None:
    invitation = invite(persona.employee)
    client = client_for(persona.employee)
    url = f"/me/invitations/{invitation.pk}/"
    client.post(url, {"accept": "1"})  # the charter not ticked: refused
    assert payloads("programs.enrolment_started") == []
    response = client.post(url, {"accept": "1", "accept_charter": "on"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=persona.employee)
    ids = {"enrolment_id": enrolment.pk, "program_id": program.pk, "person_id": persona.employee.pk}
    assert payloads("programs.enrolment_started") == [ids]
    client.post(f"/me/enrolments/{enrolment.pk}/leave", {"history": "anonymised"})
    client.post(f"/me/enrolments/{enrolment.pk}/leave", {"history": "anonymised"})  # left already
    assert payloads("programs.enrolment_ended") == [{**ids, "why": "left"}]


def test_a_departure_ends_each_enrolment(persona, program, enrol) -> None:
    enrolment = enrol(persona.ambassador)
    other = actions.create_program(as_actor(persona.marketer), name="Autre", objectives=["sales"])
    version = actions.save_charter_draft(
        as_actor(persona.marketer), other, body_fr=CHARTER_FR, body_en=CHARTER_EN
    )
    actions.publish_charter(as_actor(persona.marketer), version)
    [second] = actions.invite(
        as_actor(persona.hr),
        other,
        [persona.ambassador],
        ambassador_type=kind(other.organisation, "supporter"),
    )[0]
    ended = actions.accept_invitation(as_actor(persona.ambassador), second, charter_accepted=True)
    with transaction.atomic():
        person_departed.send(sender=Person, person=persona.ambassador, actor=None)
    assert sorted(
        (p["enrolment_id"], p["program_id"], p["why"]) for p in payloads("programs.enrolment_ended")
    ) == sorted([(enrolment.pk, program.pk, "departure"), (ended.pk, other.pk, "departure")])
    assert {p["person_id"] for p in payloads("programs.enrolment_ended")} == {persona.ambassador.pk}


def test_a_rolled_back_acceptance_records_nothing(persona, program, invite) -> None:
    invitation = invite(persona.employee)
    before = DomainEvent.objects.count()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        actions.accept_invitation(as_actor(persona.employee), invitation, charter_accepted=True)
        _ = 1 / 0
    with pytest.raises(ValidationError):
        actions.accept_invitation(as_actor(persona.employee), invitation, charter_accepted=False)
    assert DomainEvent.objects.count() == before
    assert payloads("programs.enrolment_started") == []
