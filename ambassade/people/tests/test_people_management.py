"""Creating and changing people, departments, sites and roles from the console and API."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassade.core.models import AuditEvent
from ambassade.core.roles import Role
from ambassade.people import signals
from ambassade.people.models import Department, Person, RoleAssignment, Site
from ambassade.testing.factories import DepartmentFactory, PersonFactory, SiteFactory

pytestmark = pytest.mark.django_db


def person_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "lea.martin@example.com",
        "job_title": "Chargée de marketing",
        "department": "",
        "site": "",
        "languages": ["fr", "en"],
        "manager_email": "",
        "employment_status": "active",
        "start_date": "2024-01-15",
        "end_date": "",
    }
    data.update(overrides)
    return data


def test_hr_adds_a_person_and_lands_on_their_page(persona, client_for) -> None:
    department = DepartmentFactory(organisation=persona.organisation, name="Marketing")
    response = client_for(persona.hr).post(
        "/console/people/new/",
        person_form(department=department.pk, manager_email="hr@example.com"),
    )
    person = Person.objects.get(email="lea.martin@example.com")
    assert response["Location"] == f"/console/people/{person.pk}/"
    assert person.organisation == persona.organisation
    assert person.manager == persona.hr
    assert person.languages == ["fr", "en"]
    event = AuditEvent.objects.get(action="person.created")
    assert event.after["department"] == "Marketing"
    page = client_for(persona.marketer).get(f"/console/people/{person.pk}/").content.decode()
    assert "Chargée de marketing" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"start_date": "2024-05-01", "end_date": "2024-04-30"},
            "The end date is before the start date.",
        ),
        (
            {"manager_email": "nobody@example.com"},
            "Unknown manager: nobody in this organisation has this e-mail.",
        ),
        (
            {"email": "employee@example.com"},
            "This e-mail address is already used in this organisation.",
        ),
        (
            {"email": "EMPLOYEE@example.com"},
            "This e-mail address is already used in this organisation.",
        ),
        ({"languages": ["de"]}, "Select a valid choice. de is not one of the available choices."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
    ],
)
def test_the_person_form_explains_what_is_wrong(persona, client_for, overrides, message) -> None:
    response = client_for(persona.hr).post("/console/people/new/", person_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.filter(first_name="Léa").exists()


def test_the_outsiders_manager_is_unknown_here(persona, client_for) -> None:
    response = client_for(persona.hr).post(
        "/console/people/new/", person_form(manager_email="outsider@example.com")
    )
    assert "Unknown manager" in response.content.decode()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"start_date": "2024-05-01", "end_date": "2024-04-30"},
            "end_date",
            "The end date is before the start date.",
        ),
        (
            {"manager_id": 999999},
            "manager",
            "Unknown manager: choose a person of this organisation.",
        ),
        (
            {"email": "employee@example.com"},
            "email",
            "This e-mail address is already used in this organisation.",
        ),
        (
            {"languages": ["fr", "de"]},
            "languages",
            "Unknown language codes: de. This instance offers: en, fr.",
        ),
        ({"department_id": 999999}, "department", "Unknown department."),
        ({"employment_status": "retired"}, "employment_status", "Choose active, on leave or left."),
    ],
)
def test_the_api_gives_the_same_messages_per_field(
    persona, client_for, payload, field, message
) -> None:
    body = {"first_name": "Léa", "last_name": "Martin", "email": "lea@example.com", **payload}
    response = client_for(persona.admin).post(
        "/api/v1/people", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert {"field": field, "message": message} in response.json()["error"]["details"]


def test_the_api_refuses_the_manager_of_another_organisation(persona, client_for) -> None:
    body = {
        "first_name": "A",
        "last_name": "B",
        "email": "ab@example.com",
        "manager_id": persona.outsider.pk,
    }
    response = client_for(persona.hr).post("/api/v1/people", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "manager"


def test_people_writers_are_hr_and_admins_only(persona, client_for) -> None:
    body = {"first_name": "A", "last_name": "B", "email": "ab@example.com"}
    for name in ("marketer", "comms", "coach", "sales", "ambassador", "employee"):
        client = client_for(getattr(persona, name))
        assert (
            client.post("/api/v1/people", body, content_type="application/json").status_code == 403
        )
        assert client.post("/console/people/new/", person_form()).status_code == 403
    created = client_for(persona.admin).post(
        "/api/v1/people", body, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["email"] == "ab@example.com"


def test_a_position_change_is_signalled_and_mailed(persona, client_for, committed) -> None:
    site = SiteFactory(organisation=persona.organisation, name="Nantes")
    received = []

    def receiver(sender, person, actor, before, after, **kwargs):
        received.append((person.pk, actor.person.pk, before, after))

    signals.person_position_changed.connect(receiver)
    try:
        with committed():
            response = client_for(persona.hr).patch(
                f"/api/v1/people/{persona.employee.pk}",
                {"job_title": "Responsable qualité", "site_id": site.pk, "first_name": "Noa"},
                content_type="application/json",
            )
    finally:
        signals.person_position_changed.disconnect(receiver)
    assert response.status_code == 200
    assert received == [
        (
            persona.employee.pk,
            persona.hr.pk,
            {"job_title": "Engineer", "site": None},
            {"job_title": "Responsable qualité", "site": "Nantes"},
        )
    ]
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["employee@example.com"]  # HR made the change and is the only HR
    event = AuditEvent.objects.get(action="person.updated")
    assert event.before == {
        "first_name": persona.employee.first_name,
        "job_title": "Engineer",
        "site": None,
    }


def test_hr_is_told_of_position_changes_made_by_an_admin(persona, client_for, committed) -> None:
    with committed():
        client_for(persona.admin).patch(
            f"/api/v1/people/{persona.employee.pk}",
            {"manager_id": persona.hr.pk},
            content_type="application/json",
        )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "employee@example.com",
        "hr@example.com",
    ]


def test_a_change_of_name_only_is_not_a_position_change(persona, client_for, committed) -> None:
    with committed():
        client_for(persona.hr).patch(
            f"/api/v1/people/{persona.employee.pk}",
            {"last_name": "Nouveau"},
            content_type="application/json",
        )
    assert mail.outbox == []


def test_editing_in_the_console_keeps_the_form_values(persona, client_for) -> None:
    client = client_for(persona.hr)
    page = client.get(f"/console/people/{persona.employee.pk}/edit/").content.decode()
    assert 'value="employee@example.com"' in page
    response = client.post(
        f"/console/people/{persona.employee.pk}/edit/",
        person_form(email="employee@example.com", first_name="Nora", end_date="2001-01-01"),
    )
    assert "The end date is before the start date." in response.content.decode()
    response = client.post(
        f"/console/people/{persona.employee.pk}/edit/",
        person_form(email="employee@example.com", first_name="Nora"),
    )
    assert response.status_code == 302
    persona.employee.refresh_from_db()
    assert persona.employee.first_name == "Nora"


def test_departments_and_sites_are_created_from_the_console(persona, client_for) -> None:
    client = client_for(persona.hr)
    assert (
        client.post("/console/people/structure/", {"kind": "department", "name": "R&D"}).status_code
        == 302
    )
    duplicate = client.post("/console/people/structure/", {"kind": "department", "name": "r&d"})
    assert "There is already a department with this name." in duplicate.content.decode()
    bad_country = client.post(
        "/console/people/structure/", {"kind": "site", "name": "Lyon", "country": "F1"}
    )
    assert "Use the two-letter ISO code, for example FR." in bad_country.content.decode()
    assert (
        client.post(
            "/console/people/structure/", {"kind": "site", "name": "Lyon", "country": "fr"}
        ).status_code
        == 302
    )
    assert Site.objects.get(name="Lyon").country == "FR"
    assert Department.objects.filter(organisation=persona.organisation).count() == 1
    api = client_for(persona.admin).post(
        "/api/v1/departments", {"name": "Ventes"}, content_type="application/json"
    )
    assert api.status_code == 201
    assert (
        client_for(persona.marketer)
        .post("/api/v1/sites", {"name": "X"}, content_type="application/json")
        .status_code
        == 403
    )
    assert [d["name"] for d in client_for(persona.outsider).get("/api/v1/departments").json()] == []


# --- Roles ------------------------------------------------------------------------------


def test_admins_assign_several_roles_audited(persona, client_for) -> None:
    response = client_for(persona.admin).post(
        f"/console/people/{persona.employee.pk}/roles", {"roles": ["marketing", "coach"]}
    )
    assert response.status_code == 302
    assert set(persona.employee.role_assignments.values_list("role", flat=True)) == {
        "marketing",
        "coach",
    }
    event = AuditEvent.objects.get(action="person.roles_changed")
    assert event.before == {"roles": []}
    assert event.after == {"roles": ["coach", "marketing"]}


def test_the_ambassador_role_cannot_be_ticked(persona, client_for) -> None:
    page = client_for(persona.admin).get(f"/console/people/{persona.employee.pk}/").content.decode()
    assert 'value="ambassador"' not in page
    response = client_for(persona.admin).put(
        f"/api/v1/people/{persona.employee.pk}/roles",
        {"roles": ["ambassador"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert (
        response.json()["error"]["message"]
        == "The ambassador role comes only from enrolling in a program."
    )


def test_changing_roles_keeps_the_ambassador_role_from_enrolment(persona, client_for) -> None:
    response = client_for(persona.admin).put(
        f"/api/v1/people/{persona.ambassador.pk}/roles",
        {"roles": ["coach"]},
        content_type="application/json",
    )
    assert response.json() == {"roles": ["ambassador", "coach"]}


def test_the_last_admin_cannot_lose_the_role(persona, client_for) -> None:
    client = client_for(persona.admin)
    response = client.put(
        f"/api/v1/people/{persona.admin.pk}/roles",
        {"roles": ["hr"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "last admin" in response.json()["error"]["message"]
    page = client.post(
        f"/console/people/{persona.admin.pk}/roles", {"roles": []}, follow=True
    ).content.decode()
    assert "is the organisation&#x27;s last admin" in page
    assert RoleAssignment.objects.filter(person=persona.admin, role=Role.ADMIN).exists()
    # With a second admin, the first may step down.
    client.put(
        f"/api/v1/people/{persona.hr.pk}/roles",
        {"roles": ["hr", "admin"]},
        content_type="application/json",
    )
    response = client.put(
        f"/api/v1/people/{persona.admin.pk}/roles", {"roles": []}, content_type="application/json"
    )
    assert response.status_code == 200


def test_the_last_admin_cannot_be_marked_as_left(persona, client_for) -> None:
    response = client_for(persona.hr).post(
        f"/api/v1/people/{persona.admin.pk}/departure",
        {"now": True},
        content_type="application/json",
    )
    assert response.status_code == 422
    persona.admin.refresh_from_db()
    assert persona.admin.employment_status == "active"


def test_only_admins_manage_roles(persona, client_for) -> None:
    for name in ("hr", "marketer", "employee"):
        response = client_for(getattr(persona, name)).put(
            f"/api/v1/people/{persona.employee.pk}/roles",
            {"roles": ["hr"]},
            content_type="application/json",
        )
        assert response.status_code == 403
    page = client_for(persona.hr).get(f"/console/people/{persona.employee.pk}/").content.decode()
    assert "Only organisation admins assign roles." in page


# --- Tenancy and query counts -------------------------------------------------------------


def test_another_organisations_people_are_not_found(persona, client_for) -> None:
    other = persona.employee.pk
    outsider = client_for(persona.outsider)
    pages: list[tuple[str, str, dict[str, object] | None]] = [
        ("get", f"/console/people/{other}/", None),
        ("get", f"/console/people/{other}/edit/", None),
        ("post", f"/console/people/{other}/roles", {"roles": ["hr"]}),
        ("post", f"/console/people/{other}/invite", {}),
        ("post", f"/console/people/{other}/left", {}),
        ("get", f"/console/people/{other}/data.zip", None),
        ("get", f"/console/people/{other}/erase/", None),
        ("post", f"/console/people/{other}/erase/", {"confirm": "erase"}),
    ]
    for method, url, body in pages:
        response = getattr(outsider, method)(url, body) if body is not None else outsider.get(url)
        assert response.status_code == 404, url
    operations: list[tuple[str, str, dict[str, object] | None]] = [
        ("patch", f"/api/v1/people/{other}", {"first_name": "X"}),
        ("put", f"/api/v1/people/{other}/roles", {"roles": []}),
        ("post", f"/api/v1/people/{other}/account-invitation", {}),
        ("post", f"/api/v1/people/{other}/departure", {"now": True}),
        ("get", f"/api/v1/people/{other}/personal-data", None),
        ("post", f"/api/v1/people/{other}/erasure", {}),
    ]
    for method, url, body in operations:
        if body is None:
            response = outsider.get(url)
        else:
            response = getattr(outsider, method)(url, body, content_type="application/json")
        assert response.status_code == 404, url
    persona.employee.refresh_from_db()
    assert persona.employee.employment_status == "active"
    assert persona.employee.anonymised_at is None


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_person_page_has_a_fixed_number_of_queries(persona, client_for) -> None:
    manager = PersonFactory(organisation=persona.organisation)
    subject = PersonFactory(organisation=persona.organisation, manager=manager)
    for client in (client_for(persona.admin), client_for(persona.hr)):
        few = count_queries(client, f"/console/people/{subject.pk}/")
        for _ in range(10):
            PersonFactory(
                organisation=persona.organisation, manager=subject, roles=[Role.AMBASSADOR]
            )
        RoleAssignment.objects.create(person_id=subject.pk, role=Role.COACH)
        assert count_queries(client, f"/console/people/{subject.pk}/") == few
        RoleAssignment.objects.filter(person_id=subject.pk).delete()


def test_the_directory_filters_by_lifecycle(persona, client_for) -> None:
    from datetime import date

    PersonFactory(organisation=persona.organisation, last_name="Leaving", end_date=date(2031, 1, 1))
    PersonFactory(
        organisation=persona.organisation, last_name="Alumna", employment_status="left", alumni=True
    )
    client = client_for(persona.marketer)
    leaving = client.get("/console/people/?status=leaving").content.decode()
    assert "Leaving" in leaving and "Alumna" not in leaving
    alumni = client.get("/console/people/?status=alumni").content.decode()
    assert "Alumna" in alumni and "employee@example.com" not in alumni
