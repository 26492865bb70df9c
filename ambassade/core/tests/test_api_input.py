"""No input causes a server error: each refusal is a 4xx in the error format naming the field.

Every test goes through HTTP, as a script would.
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from ambassade.core.authz import scopes_for_roles
from ambassade.core.roles import Role
from ambassade.people.models import ApiToken, Department, Person
from ambassade.programs.models import Program
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(persona):
    """An admin who also holds HR (for the import) and a token with every scope they allow."""
    person = PersonFactory(
        organisation=persona.organisation,
        email="boss@example.com",
        roles=[Role.ADMIN, Role.HR, Role.MARKETING],
        with_user=True,
    )
    client = Client()
    client.force_login(person.user)
    response = client.post(
        "/api/v1/tokens",
        {"name": "all", "scopes": sorted(scopes_for_roles(frozenset(person.role_set)))},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['secret']}"}


def send(method: str, path: str, body: str | bytes, auth: dict, **extra: object):
    content_type = extra.pop("content_type", "application/json")
    call = getattr(Client(), method)
    return call(path, body, content_type=content_type, **auth, **extra)


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def fields(error: dict) -> list[str]:
    return [detail["field"] for detail in error["details"]]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_size_limit_is_413(admin) -> None:
    body = json.dumps({"name": "x" * 100, "padding": "y" * 2000})
    error = error_of(send("post", "/api/v1/departments", body, admin), 413)
    assert error["code"] == "too_large"
    assert error["details"] == {"limit_bytes": 1000}


def test_a_raw_csv_import_of_up_to_5_mb_is_read_like_a_multipart_one(admin) -> None:
    header = "email,first_name,last_name\n"
    rows = "".join(f"p{n}@example.com,Ann,Lee\n" for n in range(2))
    # Over Django's 2.5 MB cap on request bodies, under the import's 5 MB: blank lines.
    text = header + rows + (" " * 160 + "\n") * 19_000
    raw = send("post", "/api/v1/people/imports", text, admin, content_type="text/csv")
    assert raw.status_code == 201, raw.content[:300]
    form = Client().post(
        "/api/v1/people/imports",
        {"file": SimpleUploadedFile("p.csv", text.encode(), "text/csv")},
        **admin,
    )
    assert form.status_code == 201
    assert raw.json()["lines"][:2] == form.json()["lines"][:2]
    too_big = "#" * (5 * 1024 * 1024 + 1)
    refused = send("post", "/api/v1/people/imports", too_big, admin, content_type="text/csv")
    assert error_of(refused, 413)["code"] == "too_large"
    one_huge_field = header + "a@example.com,Ann," + "x" * 200_000 + "\n"
    unreadable = send(
        "post", "/api/v1/people/imports", one_huge_field, admin, content_type="text/csv"
    )
    assert fields(error_of(unreadable, 422)) == ["file"]
    with_nul = send(
        "post", "/api/v1/people/imports", header + "a\x00@b.c,A,B\n", admin, content_type="text/csv"
    )
    assert fields(error_of(with_nul, 422)) == ["file"]


def test_a_multipart_import_without_its_file_names_the_field(admin) -> None:
    response = Client().post("/api/v1/people/imports", {"other": "x"}, **admin)
    assert fields(error_of(response, 422)) == ["file"]


@pytest.mark.parametrize(
    ("raw", "why"),
    [('{"name": "Sales\\u0000"}', "NUL"), ('{"name": "Sales\\ud800"}', "lone surrogate")],
)
def test_nul_and_lone_surrogates_are_refused_naming_the_field(admin, raw, why) -> None:
    error = error_of(send("post", "/api/v1/departments", raw, admin), 422)
    assert fields(error) == ["name"], why
    assert not Department.objects.exists()


def test_nul_in_a_query_string_is_refused(admin) -> None:
    response = Client().get("/api/v1/people", {"department": "a\x00b"}, **admin)
    assert fields(error_of(response, 422)) == ["department"]


def test_a_naive_expiry_is_read_in_the_organisations_time_zone(admin) -> None:
    body = json.dumps({"name": "t", "scopes": ["profile:read"], "expires_at": "2199-06-01T12:00"})
    response = send("post", "/api/v1/tokens", body, admin)
    assert response.status_code == 201, response.content
    stored = ApiToken.objects.get(name="t").expires_at
    assert stored == datetime(2199, 6, 1, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))


def test_a_page_beyond_any_database_integer_is_422(admin) -> None:
    response = Client().get("/api/v1/people", {"page": "10000000000000000000"}, **admin)
    assert fields(error_of(response, 422)) == ["page"]
    beyond_the_last = Client().get("/api/v1/people", {"page": "1000"}, **admin)
    assert beyond_the_last.json()["items"] == []


def test_integers_beyond_64_bits_are_422(persona, admin) -> None:
    program = Program.objects.create(organisation=persona.organisation, name="P")
    huge = 2**70
    invite = {"person_ids": [huge], "ambassador_type": "supporter"}
    response = send("post", f"/api/v1/programs/{program.pk}/invitations", json.dumps(invite), admin)
    assert fields(error_of(response, 422)) == ["person_ids.0"]
    item = json.dumps({"program_id": huge, "title": "T"})
    response = send("post", "/api/v1/content/items", item, admin)
    assert fields(error_of(response, 422)) == ["program_id"]
    in_path = Client().get(f"/api/v1/people/{huge}", **admin)
    assert fields(error_of(in_path, 422)) == ["person_id"]


def test_implausible_dates_are_refused(persona, admin) -> None:
    person = Person.objects.get(email="boss@example.com")
    response = send(
        "patch", f"/api/v1/people/{person.pk}", json.dumps({"start_date": "0001-01-01"}), admin
    )
    assert fields(error_of(response, 422)) == ["start_date"]


@pytest.mark.parametrize("body", ["[]", "null", "12345", "[null,null]", '"text"'])
@pytest.mark.parametrize(
    ("method", "path"), [("patch", "/api/v1/organisation/settings"), ("post", "/api/v1/sites")]
)
def test_bodies_that_are_not_json_objects_are_refused(admin, method, path, body) -> None:
    error = error_of(send(method, path, body, admin), 422)
    assert fields(error) == ["body"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(persona, admin, constant) -> None:
    body = '{"followers": ' + constant + "}"
    response = send("post", "/api/v1/analytics/brand-accounts", body, admin)
    assert error_of(response, 400)["code"] == "invalid_json"


def test_a_text_plain_body_is_415(admin) -> None:
    body = json.dumps({"name": "Sales"})
    response = send("post", "/api/v1/departments", body, admin, content_type="text/plain")
    assert error_of(response, 415)["code"] == "unsupported_media_type"
    assert not Department.objects.exists()


@pytest.mark.parametrize("value", [True, "5", 5.5])
def test_an_id_must_be_an_integer(persona, admin, value) -> None:
    person = Person.objects.get(email="boss@example.com")
    body = json.dumps({"manager_id": value})
    response = send("patch", f"/api/v1/people/{person.pk}", body, admin)
    assert fields(error_of(response, 422)) == ["manager_id"]


def test_unknown_fields_are_refused(admin) -> None:
    response = send("post", "/api/v1/departments", json.dumps({"name": "S", "nmae": 1}), admin)
    assert fields(error_of(response, 422)) == ["nmae"]


@pytest.mark.parametrize("name", ["   ", "\u200b\u200b", " \u00a0\u2060\ufeff ", "\t\n"])
def test_names_of_only_spaces_or_invisible_characters_are_refused(admin, name) -> None:
    response = send("post", "/api/v1/departments", json.dumps({"name": name}), admin)
    error = error_of(response, 422)
    assert fields(error) == ["name"]
    assert error["message"].startswith("name:")


def test_names_are_trimmed(admin) -> None:
    response = send("post", "/api/v1/departments", json.dumps({"name": "  Sales \u200b"}), admin)
    assert response.status_code == 201
    assert response.json()["name"] == "Sales"


def test_the_maximum_length_is_enforced_with_a_clear_message(admin) -> None:
    response = send("post", "/api/v1/departments", json.dumps({"name": "x" * 121}), admin)
    error = error_of(response, 422)
    assert fields(error) == ["name"]
    assert "120" in error["message"]


def test_every_text_field_of_every_request_documents_its_limits(client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    unbounded = []

    def visit(schema: dict, where: str) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            return visit(schemas[name], name)
        for option in schema.get("anyOf", []):
            visit(option, where)
        plain_string = schema.get("type") == "string" and not {"format", "enum"} & set(schema)
        if plain_string and not {"maxLength", "pattern"} <= set(schema):
            unbounded.append(where)
        if schema.get("type") == "array":
            if "maxItems" not in schema:
                unbounded.append(where + "[]")
            visit(schema["items"], where + "[]")
        for name, sub in schema.get("properties", {}).items():
            visit(sub, f"{where}.{name}")

    for path, item in document["paths"].items():
        for method, operation in item.items():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                if "$ref" in content["schema"]:
                    visit(content["schema"], f"{method} {path}")
    assert unbounded == []


def test_405_is_in_the_error_format_and_says_what_is_allowed(admin) -> None:
    response = Client().put("/api/v1/people", {}, content_type="application/json", **admin)
    error = error_of(response, 405)
    assert error["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]
    assert "GET" in error["details"]["allowed"]


@pytest.mark.parametrize("header", [{}, {"HTTP_AUTHORIZATION": "Bearer amb_wrong"}])
def test_writes_without_a_valid_credential_are_401_not_a_csrf_refusal(header) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/departments", {"name": "S"}, content_type="application/json", **header
    )
    assert error_of(response, 401)["code"] == "unauthenticated"


def test_a_signed_in_session_still_needs_the_csrf_token(persona) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona.admin.user)
    response = client.post("/api/v1/departments", {"name": "S"}, content_type="application/json")
    assert error_of(response, 403)["code"] == "forbidden"
    assert not Department.objects.exists()


@pytest.mark.parametrize("field", ["departure_notice_days", "name", "brand_colour"])
def test_null_for_a_field_that_cannot_be_empty_is_422_not_a_server_error(admin, field) -> None:
    body = json.dumps({field: None})
    response = send("patch", "/api/v1/organisation/settings", body, admin)
    assert fields(error_of(response, 422)) == [field]


def test_a_scalar_query_parameter_given_twice_is_refused(admin) -> None:
    response = Client().get("/api/v1/sharing/posts?status=failed&status=published", **admin)
    assert fields(error_of(response, 422)) == ["status"]


def test_times_of_day_are_read_and_written_without_an_offset(admin) -> None:
    body = json.dumps({"quiet_start": "22:00", "quiet_end": "07:00:00"})
    response = send("patch", "/api/v1/sharing/settings", body, admin)
    assert response.status_code == 200, response.content
    assert (response.json()["quiet_start"], response.json()["quiet_end"]) == (
        "22:00:00",
        "07:00:00",
    )
    with_offset = send("patch", "/api/v1/sharing/settings", '{"quiet_end": "07:00Z"}', admin)
    assert fields(error_of(with_offset, 422)) == ["quiet_end"]


def test_a_number_is_not_a_date(persona, admin) -> None:
    person = Person.objects.get(email="boss@example.com")
    response = send("patch", f"/api/v1/people/{person.pk}", '{"start_date": 0}', admin)
    assert fields(error_of(response, 422)) == ["start_date"]


def test_a_host_not_allowed_is_answered_in_the_error_format(admin) -> None:
    response = Client().post("/api/v1/departments", {}, HTTP_HOST="bad host", **admin)
    assert error_of(response, 400)["code"] == "bad_request"
