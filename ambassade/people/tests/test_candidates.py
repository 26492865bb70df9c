"""The voluntary self-assessment, HR notes (HR only) and HR's candidates page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassade.core.models import AuditEvent
from ambassade.core.roles import Role
from ambassade.people.models import HrNote, SelfAssessment
from ambassade.testing.factories import DepartmentFactory, PersonFactory, SiteFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "social_comfort": "4",
    "motivation": "5",
    "willingness_to_learn": "3",
    "networks": ["linkedin", "mastodon"],
    "comment": "Happy to talk about our plant.",
}


def answer(person, comfort: int, motivation: int, learning: int) -> SelfAssessment:
    return SelfAssessment.objects.create(
        person=person, social_comfort=comfort, motivation=motivation, willingness_to_learn=learning
    )


def test_an_employee_answers_from_the_me_page(persona, client_for) -> None:
    client = client_for(persona.employee)
    assert "Answer the questionnaire" in client.get("/me/").content.decode()
    response = client.post("/me/self-assessment/", ANSWERS)
    assert response.status_code == 302
    saved = SelfAssessment.objects.get(person=persona.employee)
    assert (saved.social_comfort, saved.motivation, saved.networks) == (
        4,
        5,
        ["linkedin", "mastodon"],
    )
    event = AuditEvent.objects.get(action="self_assessment.saved")
    assert "plant" not in str(event.after)  # the answers stay out of the audit log
    assert "Change my answers" in client.get("/me/").content.decode()
    client.post("/me/self-assessment/", {"withdraw": "1"})
    assert not SelfAssessment.objects.exists()


def test_the_self_assessment_validates_each_answer(persona, client_for) -> None:
    response = client_for(persona.employee).post(
        "/me/self-assessment/", {**ANSWERS, "motivation": "9"}
    )
    assert "Select a valid choice." in response.content.decode()
    api = client_for(persona.employee).put(
        "/api/v1/me/self-assessment",
        {"social_comfort": 3, "motivation": 3, "willingness_to_learn": 3, "networks": ["myspace"]},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["error"]["message"] == "Unknown networks: myspace"


def test_the_self_assessment_through_the_api(persona, client_for) -> None:
    client = client_for(persona.ambassador)
    assert client.get("/api/v1/me/self-assessment").status_code == 404
    body = {"social_comfort": 2, "motivation": 4, "willingness_to_learn": 5, "networks": ["x"]}
    assert (
        client.put("/api/v1/me/self-assessment", body, content_type="application/json").status_code
        == 200
    )
    assert client.get("/api/v1/me/self-assessment").json()["motivation"] == 4
    assert client.delete("/api/v1/me/self-assessment").status_code == 204


def test_hr_notes_are_for_hr_only_even_for_admins(persona, client_for) -> None:
    hr = client_for(persona.hr)
    url = f"/console/people/{persona.employee.pk}/hr-notes/"
    assert hr.post(url, {"text": "Great speaker at the open day."}).status_code == 302
    assert "Great speaker" in hr.get(url).content.decode()
    note = HrNote.objects.get()
    assert note.author == persona.hr
    admin = client_for(persona.admin)
    assert admin.get(url).status_code == 403
    assert admin.get(f"/api/v1/people/{persona.employee.pk}/hr-notes").status_code == 403
    page = admin.get(f"/console/people/{persona.employee.pk}/").content.decode()
    assert "Great speaker" not in page
    assert "visible only to people with the HR role, admins included" in page
    # Admins read the audit log: it says a note was added, never what it says.
    event = AuditEvent.objects.get(action="hr_note.added")
    assert "Great speaker" not in str(event.before) + str(event.after)
    assert client_for(persona.marketer).get(url).status_code == 403
    assert client_for(persona.outsider).get(url).status_code == 403


def test_hr_notes_through_the_api(persona, client_for) -> None:
    client = client_for(persona.hr)
    url = f"/api/v1/people/{persona.employee.pk}/hr-notes"
    assert (
        client.post(url, {"text": "  "}, content_type="application/json").json()["error"]["message"]
        == "Write the note."
    )
    assert (
        client.post(url, {"text": "Met at the fair"}, content_type="application/json").status_code
        == 201
    )
    assert [n["text"] for n in client.get(url).json()] == ["Met at the fair"]
    assert client.get(f"/api/v1/people/{persona.outsider.pk}/hr-notes").status_code == 404


def test_an_admin_who_is_also_hr_sees_the_notes(persona, client_for) -> None:
    from ambassade.people.models import RoleAssignment

    RoleAssignment.objects.create(person=persona.admin, role=Role.HR)
    assert (
        client_for(persona.admin)
        .get(f"/console/people/{persona.employee.pk}/hr-notes/")
        .status_code
        == 200
    )


def test_candidates_are_filtered_sorted_and_paginated(persona, client_for) -> None:
    lyon = SiteFactory(organisation=persona.organisation, name="Lyon")
    sales = DepartmentFactory(organisation=persona.organisation, name="Ventes")
    keen = PersonFactory(
        organisation=persona.organisation, last_name="Keen", site=lyon, department=sales
    )
    shy = PersonFactory(organisation=persona.organisation, last_name="Shy", site=lyon)
    enrolled = PersonFactory(
        organisation=persona.organisation, last_name="Enrolled", roles=[Role.AMBASSADOR]
    )
    answer(keen, 5, 5, 5)
    answer(shy, 1, 2, 2)
    answer(enrolled, 4, 4, 4)
    elsewhere = PersonFactory(organisation=persona.outsider.organisation, last_name="Elsewhere")
    answer(elsewhere, 5, 5, 5)
    client = client_for(persona.hr)
    page = client.get("/console/people/candidates/").content.decode()
    assert page.index("Keen") < page.index("Enrolled") < page.index("Shy")
    assert "Elsewhere" not in page
    filtered = client.get(
        f"/console/people/candidates/?min_motivation=4&not_ambassador=on&site={lyon.pk}"
    ).content.decode()
    assert "Keen" in filtered and "Shy" not in filtered and "Enrolled" not in filtered
    api = client.get(f"/api/v1/candidates?department_id={sales.pk}&min_comfort=3").json()
    assert [item["name"] for item in api["items"]] == [keen.full_name]
    by_name = client.get("/api/v1/candidates?sort=name").json()["items"]
    assert [item["name"].split()[-1] for item in by_name] == ["Enrolled", "Keen", "Shy"]
    assert client.get("/api/v1/candidates?not_ambassador=true").json()["count"] == 2
    for _ in range(55):
        answer(PersonFactory(organisation=persona.organisation), 3, 3, 3)
    second = client.get("/console/people/candidates/?page=2&sort=name").content.decode()
    assert "Page 2 of 2" in second
    assert "sort=name" in second  # the pagination keeps the filters


def test_candidates_are_for_hr_only(persona, client_for) -> None:
    for name in ("admin", "marketer", "coach", "employee"):
        assert (
            client_for(getattr(persona, name)).get("/console/people/candidates/").status_code == 403
        )


def test_the_candidates_page_has_a_fixed_number_of_queries(persona, client_for) -> None:
    client = client_for(persona.hr)
    department = DepartmentFactory(organisation=persona.organisation)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/console/people/candidates/").status_code == 200
        return len(captured)

    answer(PersonFactory(organisation=persona.organisation, department=department), 3, 3, 3)
    few = queries()
    for _ in range(20):
        answer(
            PersonFactory(
                organisation=persona.organisation, department=department, roles=[Role.AMBASSADOR]
            ),
            4,
            4,
            4,
        )
    assert queries() == few
