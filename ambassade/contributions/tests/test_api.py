"""/api/v1/contributions: list and log mine; get, change and delete mine only."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from ambassade.contributions.models import Contribution
from ambassade.contributions.tests.conftest import contribution, enrol, today
from ambassade.core.models import AuditEvent
from ambassade.people.models import ApiToken, hash_token
from ambassade.programs.models import Program

pytestmark = pytest.mark.django_db


def _send(client, method: str, path: str, body: dict):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_an_ambassador_logs_lists_changes_and_deletes(persona, program, client_for) -> None:
    enrol(program, persona.ambassador)
    client = client_for(persona.ambassador)
    created = _send(
        client,
        "post",
        "/api/v1/contributions",
        {
            "kind": "article",
            "title": "Cinq idées reçues sur la vente B2B",
            "occurred_on": (today() - timedelta(days=5)).isoformat(),
            "program_id": program.pk,
            "url": "https://verdier.example/blog/b2b",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["program_id"] == program.pk
    listed = client.get("/api/v1/contributions").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    path = f"/api/v1/contributions/{body['id']}"
    assert client.get(path).json()["title"] == "Cinq idées reçues sur la vente B2B"
    patched = _send(client, "patch", path, {"title": "Six idées reçues", "program_id": None})
    assert patched.status_code == 200
    assert patched.json()["title"] == "Six idées reçues"
    assert patched.json()["program_id"] is None
    assert patched.json()["kind"] == "article"  # what was not sent did not change
    assert client.delete(path).status_code == 204
    assert not Contribution.objects.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"contribution.added", "contribution.changed", "contribution.deleted"} <= actions


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurred_on": (today() + timedelta(days=3)).isoformat()}, "occurred_on"),
        ({"url": "mailto:someone@example.com"}, "url"),
        ({"kind": "lunch"}, "kind"),
        ({"title": ""}, "title"),
    ],
)
def test_invalid_values_are_422_naming_the_field(persona, client_for, changes, field) -> None:
    body = {"kind": "talk", "title": "Talk", "occurred_on": today().isoformat()} | changes
    response = _send(client_for(persona.ambassador), "post", "/api/v1/contributions", body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert [detail["field"] for detail in error["details"]] == [field]


def test_a_program_i_am_not_in_is_refused(persona, program, client_for) -> None:
    body = {"kind": "talk", "title": "Talk", "occurred_on": today().isoformat()}
    response = _send(
        client_for(persona.ambassador),
        "post",
        "/api/v1/contributions",
        body | {"program_id": program.pk},
    )
    assert response.status_code == 422
    assert "one of your programs" in response.json()["error"]["message"]


def test_someone_elses_contribution_is_404(persona, client_for) -> None:
    theirs = contribution(persona.sales, today(), "Leur conférence")
    path = f"/api/v1/contributions/{theirs.pk}"
    for name in ("ambassador", "admin", "hr", "outsider"):
        client = client_for(getattr(persona, name))
        assert client.get(path).status_code == 404
        assert _send(client, "patch", path, {"title": "Volé"}).status_code == 404
        assert client.delete(path).status_code == 404
        assert client.get("/api/v1/contributions").json()["count"] == 0
    theirs.refresh_from_db()
    assert theirs.title == "Leur conférence"


def test_a_token_needs_the_contributions_scope(persona) -> None:
    from django.test import Client

    def token(scopes):
        secret = f"amb_contrib{len(scopes)}"
        ApiToken.objects.create(
            organisation=persona.organisation,
            person=persona.ambassador,
            name="t",
            scopes=scopes,
            secret_hash=hash_token(secret),
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    client = Client()
    body = {"kind": "talk", "title": "Talk", "occurred_on": today().isoformat()}
    refused = client.post(
        "/api/v1/contributions",
        json.dumps(body),
        content_type="application/json",
        **token(["profile:read"]),
    )
    assert refused.status_code == 403
    accepted = client.post(
        "/api/v1/contributions",
        json.dumps(body),
        content_type="application/json",
        **token(["contributions:write", "profile:read"]),
    )
    assert accepted.status_code == 201
    assert Program.objects.count() == 0  # no program needed to log a contribution
