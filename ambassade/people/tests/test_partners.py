"""Partner members: people outside the company (independent sellers, distributors),
created by HR from the console and the API, without HR data, never with a console role,
not among the candidates, and invited to programs under the partner type only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ambassade.core.authz import actor_for_person
from ambassade.core.models import Organisation
from ambassade.core.roles import Role
from ambassade.people import actions
from ambassade.people.models import Membership, Person, RoleAssignment, SelfAssessment
from ambassade.people.tests.test_people_management import person_form
from ambassade.programs import actions as program_actions
from ambassade.programs.models import AmbassadorKind, AmbassadorType, Invitation, Program
from ambassade.testing.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _partner(persona: Any, **extra: Any) -> Any:
    return PersonFactory(
        organisation=persona.organisation,
        email="vendeuse@independante.example",
        membership=Membership.PARTNER,
        with_user=True,
        **extra,
    )


def test_hr_adds_a_partner_from_the_console_whose_form_then_hides_hr_data(
    persona, client_for
) -> None:
    hr = client_for(persona.hr)
    answer = hr.post("/console/people/new/", person_form(membership="partner"))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    partner = Person.objects.get(email="lea.martin@example.com")
    assert partner.membership == Membership.PARTNER and partner.is_partner
    page = hr.get(f"/console/people/{partner.pk}/edit/").content.decode()
    assert 'name="department"' not in page and 'name="manager_email"' not in page
    assert 'name="site"' not in page and 'name="membership"' in page
    assert "Partner" in hr.get(f"/console/people/{partner.pk}/").content.decode()


def test_the_actions_refuse_hr_data_for_a_partner(persona, client_for) -> None:
    department = DepartmentFactory(organisation=persona.organisation, name="Ventes")
    answer = client_for(persona.hr).post(
        "/console/people/new/",
        person_form(membership="partner", department=department.pk, manager_email="hr@example.com"),
    )
    page = answer.content.decode()
    assert answer.status_code == 200 and "A partner has no HR data" in page
    assert not Person.objects.filter(email="lea.martin@example.com").exists()
    employee: Any = PersonFactory(
        organisation=persona.organisation, employee_number="E-042", department=department
    )
    with pytest.raises(ValidationError) as refused:
        actions.update_person(actor_for_person(persona.hr), employee, {"membership": "partner"})
    assert set(refused.value.message_dict) == {"department", "employee_number"}


def test_the_api_creates_a_partner_and_refuses_a_manager(persona, client_for) -> None:
    hr = client_for(persona.hr)
    body = {
        "first_name": "Nadia",
        "last_name": "Benali",
        "email": "nadia@distributeur.example",
        "membership": "partner",
    }
    created = hr.post("/api/v1/people", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["membership"] == "partner"
    refused = hr.post(
        "/api/v1/people",
        json.dumps(body | {"email": "autre@distributeur.example", "manager_id": persona.hr.pk}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["field"] == "manager"
    wrong = hr.post(
        "/api/v1/people",
        json.dumps(body | {"email": "x@distributeur.example", "membership": "contractor"}),
        content_type="application/json",
    )
    assert wrong.status_code == 422


def test_a_partner_never_holds_a_console_role(persona, client_for) -> None:
    partner = _partner(persona)
    answer = client_for(persona.admin).put(
        f"/api/v1/people/{partner.pk}/roles",
        json.dumps({"roles": ["marketing"]}),
        content_type="application/json",
    )
    assert answer.status_code == 422
    assert not RoleAssignment.objects.filter(person=partner).exists()
    # Even a role left by an import or a provisioning opens nothing.
    RoleAssignment.objects.create(person=partner, role=Role.ADMIN)
    fresh = Person.objects.get(pk=partner.pk)
    assert fresh.role_set == frozenset({"employee"})
    assert client_for(fresh).get("/console/").status_code == 403
    # An employee with a console role becomes a partner only once the role is removed.
    with pytest.raises(ValidationError, match="console roles"):
        actions.update_person(
            actor_for_person(persona.hr), persona.marketer, {"membership": "partner"}
        )


def test_no_hr_notes_self_assessment_nor_candidate_record_for_a_partner(
    persona, client_for
) -> None:
    partner = _partner(persona)
    notes = client_for(persona.hr).post(
        f"/console/people/{partner.pk}/hr-notes/", {"text": "Très motivée."}
    )
    assert "A partner has no HR notes." in notes.content.decode()
    answers = {"social_comfort": 5, "motivation": 5, "willingness_to_learn": 5}
    with pytest.raises(ValidationError, match="self-assessment"):
        actions.save_self_assessment(actor_for_person(partner), answers)
    SelfAssessment.objects.create(person=partner, **answers)  # left from before, say
    listed = client_for(persona.hr).get("/api/v1/candidates").json()
    assert partner.pk not in [row["person_id"] for row in listed["items"]]


def test_partners_are_invited_under_the_partner_type_only(persona) -> None:
    program = Program.objects.create(organisation=persona.organisation, name="Réseau partenaires")
    types = {
        found.kind: found for found in program_actions.ensure_default_types(persona.organisation)
    }
    partner = _partner(persona)
    hr = actor_for_person(persona.hr)
    with pytest.raises(ValidationError, match="partner type"):
        program_actions.invite(hr, program, [partner], ambassador_type=types["supporter"])
    with pytest.raises(ValidationError, match="Only partners"):
        program_actions.invite(
            hr, program, [persona.employee], ambassador_type=types[AmbassadorKind.PARTNER]
        )
    sent, _skipped = program_actions.invite(
        hr, program, [partner], ambassador_type=types[AmbassadorKind.PARTNER]
    )
    assert [invitation.person for invitation in sent] == [partner]
    assert Invitation.objects.get().ambassador_type.kind == "partner"


def test_every_organisation_has_the_partner_type(persona) -> None:
    created = Organisation.objects.create(name="Nouvelle", slug="nouvelle")
    program_actions.ensure_default_types(created)
    assert AmbassadorType.objects.filter(organisation=created, kind="partner").exists()


def test_turning_an_employee_into_a_partner_is_audited_and_exported(persona, client_for) -> None:
    from ambassade.core.models import AuditEvent
    from ambassade.core.personal_data import collect

    answer = client_for(persona.hr).patch(
        f"/api/v1/people/{persona.employee.pk}",
        json.dumps({"membership": "partner"}),
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["membership"] == "partner"
    row = AuditEvent.objects.filter(action="person.updated").latest("pk")
    assert (row.before["membership"], row.after["membership"]) == ("employee", "partner")
    assert collect(Person.objects.get(pk=persona.employee.pk))["profile"]["membership"] == (
        "partner"
    )
