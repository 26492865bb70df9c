"""An identity provider's view of Ambassade: a SCIM client with a provisioning token of
Acme (the personas' organisation), and the requests' JSON files of tests/requests/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ambassade.core.authz import actor_for_person
from ambassade.provisioning import actions

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
REQUESTS = Path(__file__).parent / "requests"


@dataclass
class ScimClient:
    client: Client
    secret: str

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        data = (
            body if isinstance(body, str | bytes) else json.dumps(body) if body is not None else ""
        )
        extra = {f"HTTP_{key.upper().replace('-', '_')}": value for key, value in headers.items()}
        response = self.client.generic(
            method,
            path if path.startswith("/") else f"/scim/v2/{path}",
            data=data,
            content_type="application/scim+json",
            HTTP_AUTHORIZATION=f"Bearer {self.secret}",
            **extra,
        )
        response.body = json.loads(response.content) if response.content else None
        return response

    def get(self, path: str, **headers: str) -> Any:
        return self.call("GET", path, **headers)

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self.call("POST", path, body, **headers)

    def put(self, path: str, body: Any, **headers: str) -> Any:
        return self.call("PUT", path, body, **headers)

    def patch(self, path: str, body: Any, **headers: str) -> Any:
        return self.call("PATCH", path, body, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self.call("DELETE", path, **headers)


def new_token(admin: Any, name: str = "Entra ID") -> str:
    _token, secret = actions.create_token(actor_for_person(admin), name)
    return secret


@pytest.fixture
def scim(persona: Any) -> ScimClient:
    """The identity provider of Acme."""
    return ScimClient(Client(), new_token(persona.admin))


def user_body(
    email: str, given: str = "Jeanne", family: str = "Martin", **more: Any
) -> dict[str, Any]:
    return {
        "schemas": [USER, ENTERPRISE],
        "userName": email,
        "name": {"givenName": given, "familyName": family},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
        **more,
    }


def recorded(name: str) -> list[dict[str, Any]]:
    """A provider's recorded request sequence (tests/requests/<name>.json)."""
    return json.loads((REQUESTS / f"{name}.json").read_text())


def play(scim: ScimClient, name: str) -> tuple[dict[str, str], list[Any]]:
    """Sends a recorded sequence; each step's status is checked, "save" keeps the id of
    what it created for the next steps' "{name}", and a "quiet" step (a provider's
    periodic no-op) must leave neither an audit row nor a report line."""
    from ambassade.core.models import AuditEvent
    from ambassade.provisioning.models import ProvisioningEvent

    ids: dict[str, str] = {}
    answers = []
    for step in recorded(name):
        text = json.dumps({"path": step["path"], "body": step.get("body")})
        for key, value in ids.items():
            text = text.replace("{" + key + "}", value)
        filled = json.loads(text)
        audit_rows, report_lines = AuditEvent.objects.count(), ProvisioningEvent.objects.count()
        answer = scim.call(step["method"], filled["path"], filled["body"])
        assert answer.status_code == step["status"], (step["note"], answer.body)
        if step.get("quiet"):
            assert AuditEvent.objects.count() == audit_rows, step["note"]
            assert ProvisioningEvent.objects.count() == report_lines, step["note"]
        if "save" in step:
            ids[step["save"]] = answer.body["id"]
        answers.append(answer)
    return ids, answers
