"""The OpenAPI document is exact: one schema per name, every answer documented."""

from __future__ import annotations

import re

from django.test import Client
from ninja import NinjaAPI, Router, Schema

from ambassade.api import api
from ambassade.core.api_document import COMMON_ERRORS, schema_name_collisions


def test_no_two_schemas_share_a_name() -> None:
    assert schema_name_collisions(api) == []


def _named(name: str, field: str) -> type[Schema]:
    return type(name, (Schema,), {"__annotations__": {field: int}})


# Two schemas of one name, as sharing's and programs' TargetIn were.
ShareTargetIn = _named("TargetIn", "account_id")
KpiTargetIn = _named("TargetIn", "period_start")


def test_the_collision_check_sees_two_classes_of_one_name() -> None:
    router = Router()

    @router.post("/a")
    def a(request, payload: ShareTargetIn) -> None:  # type: ignore[valid-type]
        return None

    @router.post("/b")
    def b(request, payload: KpiTargetIn) -> None:  # type: ignore[valid-type]
        return None

    colliding = NinjaAPI(urls_namespace="collision-test")
    colliding.add_router("/", router)
    assert [found.split(" ")[0] for found in schema_name_collisions(colliding)] == ["TargetIn"]


def test_accepting_an_invitation_documents_the_charter_acceptance(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/me/invitations/{invitation_id}/accept"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert list(schema["properties"]) == ["accept_charter"]


def test_every_path_answers_a_method_it_lacks_with_405_in_the_error_format(client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    wrong = []
    for path, item in document["paths"].items():
        absent = [m for m in ("get", "put", "post", "delete", "patch") if m not in item]
        url = re.sub(r"\{[^}]+\}", "1", path)  # any id or code: the method decides first
        for method in absent[:1]:
            response = getattr(client, method)(url)
            body = (
                response.json() if response["Content-Type"].startswith("application/json") else {}
            )
            if (
                response.status_code != 405
                or body.get("error", {}).get("code") != "method_not_allowed"
            ):
                wrong.append(f"{method.upper()} {path}: {response.status_code}")
    assert wrong == []


def test_every_operation_documents_the_error_answers(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    missing = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            wanted = {str(status) for status in COMMON_ERRORS}
            if "requestBody" in operation:
                wanted |= {"413", "415"}
            for status in sorted(wanted - set(operation["responses"])):
                missing.append(f"{method.upper()} {path} {status}")
            error = operation["responses"].get("422", {})
            schema = error.get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("$ref") != "#/components/schemas/ErrorResponse":
                missing.append(f"{method.upper()} {path} 422 schema")
    assert missing == []
