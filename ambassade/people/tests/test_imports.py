"""CSV import of people: preview line by line, apply in one transaction, re-import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ambassade.core.models import AuditEvent
from ambassade.people import imports
from ambassade.people.models import ImportStatus, PeopleImport, Person
from ambassade.testing.factories import DepartmentFactory, SiteFactory

pytestmark = pytest.mark.django_db

GOOD = (
    "email,first_name,last_name,job_title,department,site,languages,manager_email,"
    "employment_status,start_date,end_date\n"
    "lea.martin@example.com,Léa,Martin,Chargée de marketing,Marketing,Lyon,fr|en,,"
    "active,2021-09-01,\n"
    'hugo.roux@example.com,Hugo,Roux,Content manager,Marketing,Lyon,"fr,en",'
    "lea.martin@example.com,,2023-02-15,\n"
)


@pytest.fixture
def structure(persona):
    DepartmentFactory(organisation=persona.organisation, name="Marketing")
    SiteFactory(organisation=persona.organisation, name="Lyon")


def upload(client, text: str | bytes, name: str = "people.csv"):
    content = text.encode() if isinstance(text, str) else text
    return client.post(
        "/console/people/imports/", {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def latest() -> PeopleImport:
    return PeopleImport.objects.latest("id")


def test_preview_then_apply_creates_people_with_their_manager(
    persona, client_for, structure
) -> None:
    client = client_for(persona.hr)
    response = upload(client, GOOD)
    preview = latest()
    assert response["Location"] == f"/console/people/imports/{preview.pk}/"
    assert (preview.created, preview.updated, preview.unchanged, preview.invalid) == (2, 0, 0, 0)
    assert not Person.objects.filter(email="lea.martin@example.com").exists()  # nothing written yet
    page = client.get(response["Location"]).content.decode()
    assert "lea.martin@example.com" in page
    applied = client.post(f"/console/people/imports/{preview.pk}/apply", follow=True)
    assert "Import applied: 2 created, 0 updated, 0 unchanged." in applied.content.decode()
    hugo = Person.objects.get(email="hugo.roux@example.com")
    assert hugo.manager.email == "lea.martin@example.com"
    assert hugo.languages == ["fr", "en"]
    assert hugo.department.name == "Marketing"
    assert str(hugo.start_date) == "2023-02-15"
    preview.refresh_from_db()
    assert preview.status == ImportStatus.APPLIED
    assert preview.rows == []  # the uploaded lines are not kept once applied
    assert AuditEvent.objects.filter(action="people_import.applied").count() == 1


def test_reimporting_updates_instead_of_duplicating(persona, client_for, structure) -> None:
    client = client_for(persona.hr)
    upload(client, GOOD)
    client.post(f"/console/people/imports/{latest().pk}/apply")
    changed = GOOD.replace("Content manager", "Responsable contenus")
    upload(client, changed)
    second = latest()
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    [update] = [row for row in second.plan if row["action"] == "update"]
    assert update["changes"] == {"job_title": ["Content manager", "Responsable contenus"]}
    client.post(f"/console/people/imports/{second.pk}/apply")
    assert Person.objects.filter(email="hugo.roux@example.com").count() == 1
    assert Person.objects.get(email="hugo.roux@example.com").job_title == "Responsable contenus"


def test_semicolons_and_a_byte_order_mark_are_read(persona, client_for, structure) -> None:
    text = (
        "\ufeffEmail;First_Name;last_name;department;start_date\r\n"
        "ana@example.com;Ana;Lopes;Marketing;15/03/2022\r\n"
    )
    upload(client_for(persona.hr), text.encode("utf-8"))
    preview = latest()
    assert preview.plan[0]["email"] == "ana@example.com"
    assert preview.plan[0]["action"] == "create"
    assert preview.plan[0]["changes"]["start_date"] == [None, "2022-03-15"]


def test_errors_are_listed_by_line_and_nothing_is_written(persona, client_for, structure) -> None:
    text = (
        "email,first_name,last_name,department,site,languages,manager_email,start_date,end_date\n"
        "ok@example.com,Ok,Person,Marketing,Lyon,fr,,2020-01-01,\n"
        "bad-address,Bad,Mail,,,,,,\n"
        "dep@example.com,Dep,Unknown,Finance,,,,,\n"
        "site@example.com,Site,Unknown,,Mars,,,,\n"
        "date@example.com,Date,Bad,,,,,2020-13-45,\n"
        "order@example.com,End,Before,,,,,2020-05-01,2020-04-01\n"
        "ok@example.com,Ok,Twice,,,,,,\n"
        "boss@example.com,No,Boss,,,,nobody@example.com,,\n"
        "lang@example.com,Lang,Bad,,,de,,,\n"
    )
    client = client_for(persona.hr)
    upload(client, text)
    preview = latest()
    errors = {row["line"]: row["errors"] for row in preview.plan if row["errors"]}
    assert errors == {
        3: ["The e-mail address “bad-address” is not valid."],
        4: ["Unknown department “Finance”."],
        5: ["Unknown site “Mars”."],
        6: ["The start date “2020-13-45” is not a date (use YYYY-MM-DD)."],
        7: ["The end date is before the start date."],
        8: ["The e-mail address is already on line 2 of the file."],
        9: ["Unknown manager e-mail “nobody@example.com”."],
        10: ["Unknown language codes: de (this instance offers en, fr)."],
    }
    page = client.get(f"/console/people/imports/{preview.pk}/?show=error").content.decode()
    assert "Unknown site “Mars”." in page
    count = Person.objects.count()
    response = client.post(f"/console/people/imports/{preview.pk}/apply", follow=True)
    assert "8 lines have errors: nothing was imported." in response.content.decode()
    assert Person.objects.count() == count
    preview.refresh_from_db()
    assert preview.status == ImportStatus.PREVIEW
    # The user may choose to import only the valid lines.
    client.post(f"/console/people/imports/{preview.pk}/apply", {"only_valid": "on"})
    assert Person.objects.count() == count + 1
    assert Person.objects.filter(email="ok@example.com").get().last_name == "Person"


def test_an_unreadable_file_is_refused_with_a_reason(persona, client_for, settings) -> None:
    client = client_for(persona.hr)
    assert (
        "Missing columns: last_name."
        in upload(client, "email,first_name\na@b.fr,A\n").content.decode()
    )
    assert (
        "Unknown columns: phone."
        in upload(client, "email,first_name,last_name,phone\n").content.decode()
    )
    assert (
        "is not UTF-8"
        in upload(
            client, "email,first_name,last_name\nà@b.fr,é,è\n".encode("latin-1")
        ).content.decode()
    )
    assert (
        "The file has a header but no people."
        in upload(client, "email,first_name,last_name\n").content.decode()
    )
    assert PeopleImport.objects.count() == 0


def test_files_beyond_the_limits_are_refused(persona, client_for, monkeypatch) -> None:
    client = client_for(persona.hr)
    monkeypatch.setattr(imports, "MAX_LINES", 3)
    lines = "email,first_name,last_name\n" + "".join(f"p{n}@example.com,P,{n}\n" for n in range(4))
    assert "more than 3 lines" in upload(client, lines).content.decode()
    big = b"email,first_name,last_name\n" + b"x" * (imports.MAX_BYTES + 1)
    assert "larger than 5 MB" in upload(client, big).content.decode()


def test_an_applied_import_cannot_be_applied_twice(persona, client_for, structure) -> None:
    client = client_for(persona.hr)
    upload(client, GOOD)
    preview = latest()
    client.post(f"/console/people/imports/{preview.pk}/apply")
    again = client.post(f"/console/people/imports/{preview.pk}/apply", follow=True)
    assert "This import was already applied or discarded." in again.content.decode()


def test_discarding_writes_nothing(persona, client_for, structure) -> None:
    client = client_for(persona.hr)
    upload(client, GOOD)
    preview = latest()
    client.post(f"/console/people/imports/{preview.pk}/discard")
    preview.refresh_from_db()
    assert preview.status == ImportStatus.DISCARDED
    assert preview.rows == []
    assert not Person.objects.filter(email="lea.martin@example.com").exists()


def test_the_api_previews_a_csv_body_and_applies_it(persona, client_for, structure) -> None:
    client = client_for(persona.admin)
    response = client.post("/api/v1/people/imports?filename=hr.csv", GOOD, content_type="text/csv")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["created"], body["invalid"], body["filename"]) == (2, 0, "hr.csv")
    assert [line["action"] for line in body["lines"]] == ["create", "create"]
    applied = client.post(
        f"/api/v1/people/imports/{body['id']}/apply", {}, content_type="application/json"
    )
    assert applied.status_code == 200
    assert applied.json()["status"] == "applied"
    assert Person.objects.filter(email="hugo.roux@example.com").exists()


def test_the_api_accepts_multipart_and_reports_errors(persona, client_for, structure) -> None:
    client = client_for(persona.hr)
    bad = GOOD + "x,Y,Z,,Nowhere,,,,,,\n"
    response = client.post(
        "/api/v1/people/imports", {"file": SimpleUploadedFile("p.csv", bad.encode(), "text/csv")}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["invalid"] == 1
    assert body["lines"][2]["line"] == 4
    refused = client.post(
        f"/api/v1/people/imports/{body['id']}/apply", {}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert not Person.objects.filter(email="lea.martin@example.com").exists()
    unreadable = client.post("/api/v1/people/imports", "email\n", content_type="text/csv")
    assert unreadable.status_code == 422
    assert unreadable.json()["error"]["details"][0]["field"] == "file"


def test_imports_belong_to_their_organisation(persona, client_for, structure) -> None:
    upload(client_for(persona.hr), GOOD)
    preview = latest()
    outsider = client_for(persona.outsider)
    assert outsider.get(f"/console/people/imports/{preview.pk}/").status_code == 404
    assert outsider.post(f"/console/people/imports/{preview.pk}/apply").status_code == 404
    assert outsider.get(f"/api/v1/people/imports/{preview.pk}").status_code == 404
    response = outsider.post(
        f"/api/v1/people/imports/{preview.pk}/apply", {}, content_type="application/json"
    )
    assert response.status_code == 404
    assert outsider.get("/api/v1/people/imports").json()["count"] == 0
    assert (
        client_for(persona.marketer)
        .post("/api/v1/people/imports", GOOD, content_type="text/csv")
        .status_code
        == 403
    )


def test_a_manager_on_a_line_with_errors_blocks_their_reports(persona, client_for) -> None:
    text = (
        "email,first_name,last_name,manager_email,start_date\n"
        "boss@example.com,Big,Boss,,not-a-date\n"
        "report@example.com,Small,Report,boss@example.com,\n"
    )
    upload(client_for(persona.hr), text)
    errors = {row["line"]: row["errors"] for row in latest().plan}
    assert errors[3] == ["The manager's line (2) has errors: correct it first."]


def test_previews_left_unapplied_are_discarded_after_a_day(persona, client_for, structure) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from ambassade.people import tasks

    upload(client_for(persona.hr), GOOD)
    PeopleImport.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert tasks.discard_stale_import_previews.call() == {"discarded": 1}
    assert latest().rows == []
