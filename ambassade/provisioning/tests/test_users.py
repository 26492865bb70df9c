"""Users through HTTP: creation, reading, filters, paging, PUT, PATCH, DELETE, ETags."""

from __future__ import annotations

from typing import Any

from ambassade.core.models import AuditEvent
from ambassade.people.models import Department, EmploymentStatus, Person
from ambassade.provisioning.models import ProvisioningEvent
from ambassade.provisioning.tests.conftest import ENTERPRISE, PATCH, user_body


def test_a_provider_creates_a_person_and_reads_them_back(scim: Any, persona: Any) -> None:
    body = user_body(
        "Jeanne.Martin@Acme.example",
        externalId="aad-1",
        title="Buyer",
        **{ENTERPRISE: {"employeeNumber": "E-7", "department": "Purchasing"}},
    )
    created = scim.post("Users", body)
    assert created.status_code == 201, created.body
    assert created["Content-Type"] == "application/scim+json"
    person = Person.objects.get(organisation=persona.organisation, external_id="aad-1")
    assert (person.email, person.first_name, person.last_name, person.job_title) == (
        "jeanne.martin@acme.example",
        "Jeanne",
        "Martin",
        "Buyer",
    )
    assert person.employee_number == "E-7"
    assert person.department == Department.objects.get(name="Purchasing")
    assert created.body["userName"] == "jeanne.martin@acme.example"
    assert created["Location"].endswith(f"/scim/v2/Users/{person.pk}")
    assert created["ETag"].startswith('W/"')
    assert created.body["meta"]["version"] == created["ETag"]
    read = scim.get(f"Users/{person.pk}")
    assert read.status_code == 200
    assert read.body["id"] == str(person.pk)
    assert read.body[ENTERPRISE] == {"employeeNumber": "E-7", "department": "Purchasing"}
    audit = AuditEvent.objects.get(action="person.created", target_id=str(person.pk))
    assert audit.via == "scim"
    assert audit.actor_label.startswith("SCIM: Entra ID")
    assert audit.token_label.startswith("Entra ID (scim_")
    event = ProvisioningEvent.objects.get(resource_id=str(person.pk))
    assert (event.outcome, event.status, event.method) == ("created", 201, "POST")
    assert "userName" in event.changed


def test_filters_find_people_by_user_name_external_id_and_work_email(
    scim: Any, persona: Any
) -> None:
    scim.post("Users", user_body("a@acme.example", externalId="x-1"))
    scim.post("Users", user_body("b@acme.example", externalId="x-2"))
    by_name = scim.get('Users?filter=userName eq "A@ACME.example"')
    assert by_name.body["totalResults"] == 1
    assert by_name.body["Resources"][0]["userName"] == "a@acme.example"
    assert scim.get('Users?filter=externalId eq "x-2"').body["Resources"][0]["userName"] == (
        "b@acme.example"
    )
    assert scim.get('Users?filter=externalId eq "X-2"').body["totalResults"] == 0
    by_mail = scim.get('Users?filter=emails[type eq "work"].value eq "b@acme.example"')
    assert [item["userName"] for item in by_mail.body["Resources"]] == ["b@acme.example"]
    both = scim.get('Users?filter=userName eq "a@acme.example" and externalId eq "x-2"')
    assert both.body["totalResults"] == 0
    either = scim.get('Users?filter=userName eq "a@acme.example" or externalId eq "x-2"')
    assert either.body["totalResults"] == 2


def test_paging_and_the_other_organisation_is_never_seen(scim: Any, persona: Any) -> None:
    everyone = Person.objects.filter(organisation=persona.organisation).count()
    first = scim.get("Users?startIndex=1&count=3")
    assert first.body["totalResults"] == everyone
    assert first.body["itemsPerPage"] == 3 and first.body["startIndex"] == 1
    rest = scim.get("Users?startIndex=4&count=100")
    ids = {item["id"] for item in first.body["Resources"] + rest.body["Resources"]}
    assert len(ids) == everyone
    assert str(persona.outsider.pk) not in ids
    assert scim.get(f"Users/{persona.outsider.pk}").status_code == 404
    assert (
        scim.patch(
            f"Users/{persona.outsider.pk}",
            {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "title", "value": "x"}]},
        ).status_code
        == 404
    )


def test_put_replaces_and_absent_attributes_are_emptied(scim: Any) -> None:
    created = scim.post("Users", user_body("c@acme.example", title="Buyer", externalId="c"))
    person_id = created.body["id"]
    replaced = scim.put(f"Users/{person_id}", user_body("c@acme.example", "Claire", externalId="c"))
    assert replaced.status_code == 200, replaced.body
    person = Person.objects.get(pk=person_id)
    assert (person.first_name, person.job_title) == ("Claire", "")


def test_patch_with_and_without_path(scim: Any) -> None:
    person_id = scim.post("Users", user_body("d@acme.example")).body["id"]
    answer = scim.patch(
        f"Users/{person_id}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "add", "path": "title", "value": "Lawyer"},
                {"op": "replace", "value": {"name.givenName": "Denise", "externalId": "d-9"}},
                {"op": "replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "42"},
            ],
        },
    )
    assert answer.status_code == 200, answer.body
    person = Person.objects.get(pk=person_id)
    assert (person.job_title, person.first_name, person.external_id) == ("Lawyer", "Denise", "d-9")
    assert person.employee_number == "42"
    removed = scim.patch(
        f"Users/{person_id}",
        {"schemas": [PATCH], "Operations": [{"op": "remove", "path": "title"}]},
    )
    assert removed.status_code == 200 and "title" not in removed.body
    assert Person.objects.get(pk=person_id).job_title == ""


def test_manager_is_a_user_id_and_an_unknown_one_is_refused(scim: Any, persona: Any) -> None:
    boss = scim.post("Users", user_body("boss@acme.example")).body["id"]
    body = user_body("e@acme.example", **{ENTERPRISE: {"manager": {"value": boss}}})
    created = scim.post("Users", body)
    assert created.body[ENTERPRISE]["manager"]["value"] == boss
    assert Person.objects.get(pk=created.body["id"]).manager_id == int(boss)
    wrong = scim.post(
        "Users",
        user_body(
            "f@acme.example", **{ENTERPRISE: {"manager": {"value": str(persona.outsider.pk)}}}
        ),
    )
    assert wrong.status_code == 400
    assert wrong.body["scimType"] == "invalidValue"
    assert not Person.objects.filter(email="f@acme.example").exists()


def test_etag_and_if_match(scim: Any) -> None:
    created = scim.post("Users", user_body("g@acme.example"))
    person_id, etag = created.body["id"], created["ETag"]
    assert scim.get(f"Users/{person_id}", if_none_match=etag).status_code == 304
    change = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "title", "value": "A"}]}
    assert scim.patch(f"Users/{person_id}", change, if_match='W/"stale"').status_code == 412
    assert Person.objects.get(pk=person_id).job_title == ""
    answer = scim.patch(f"Users/{person_id}", change, if_match=etag)
    assert answer.status_code == 200
    assert answer["ETag"] != etag
    assert (
        scim.put(f"Users/{person_id}", user_body("g@acme.example"), if_match=etag).status_code
        == 412
    )


def test_deactivation_reactivation_and_delete(scim: Any, persona: Any) -> None:
    person_id = scim.post("Users", user_body("h@acme.example")).body["id"]
    off = scim.patch(
        f"Users/{person_id}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]},
    )
    assert off.body["active"] is False
    person = Person.objects.get(pk=person_id)
    assert person.employment_status == EmploymentStatus.LEFT and person.end_date is not None
    assert AuditEvent.objects.filter(
        action="person.departed", target_id=person_id, via="scim"
    ).exists()
    on = scim.patch(
        f"Users/{person_id}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": True}]},
    )
    assert on.body["active"] is True
    person.refresh_from_db()
    assert (person.employment_status, person.end_date) == (EmploymentStatus.ACTIVE, None)
    assert AuditEvent.objects.filter(action="person.reinstated", target_id=person_id).exists()
    assert scim.delete(f"Users/{person_id}").status_code == 204
    person.refresh_from_db()
    assert person.employment_status == EmploymentStatus.LEFT  # departed, never deleted
    assert scim.get(f"Users/{person_id}").status_code == 404
    assert scim.get('Users?filter=userName eq "h@acme.example"').body["totalResults"] == 0
    again = scim.post("Users", user_body("h@acme.example"))
    assert again.status_code == 201 and again.body["id"] == person_id  # rehired: the same person
    person.refresh_from_db()
    assert person.employment_status == EmploymentStatus.ACTIVE


def test_the_last_admin_is_not_deactivated(scim: Any, persona: Any) -> None:
    answer = scim.patch(
        f"Users/{persona.admin.pk}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]},
    )
    assert answer.status_code == 400
    assert "last administrator" in answer.body["detail"]
    persona.admin.refresh_from_db()
    assert persona.admin.employment_status == EmploymentStatus.ACTIVE
