"""A token never exceeds the person who made it: at creation and at every use.

The scopes a token may hold follow from its creator's roles (core/authz.py); when the
creator loses a role, their tokens lose the matching scopes at the next request. Every
write a token makes names the token in the audit log.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ambassade.core.models import AuditEvent
from ambassade.core.roles import Role
from ambassade.people.models import ApiToken, RoleAssignment, hash_token
from ambassade.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def create(client: Client, scopes: list[str], **extra: object):
    return client.post(
        "/api/v1/tokens", {"name": "script", "scopes": scopes, **extra}, content_type=JSON
    )


def stored_token(creator, scopes: list[str], *, organisation_wide: bool) -> str:
    """A token as it may already be stored: made before a rule changed, or before its
    creator lost a role."""
    secret = f"amb_stored{creator.pk}{len(scopes)}{int(organisation_wide)}"
    ApiToken.objects.create(
        organisation=creator.organisation,
        person=None if organisation_wide else creator,
        created_by=creator,
        name="stored",
        prefix=secret[:10],
        secret_hash=hash_token(secret),
        scopes=scopes,
    )
    return secret


def test_an_admin_without_hr_cannot_make_an_organisation_token_read_hr_data(
    persona, client_for
) -> None:
    refused = create(client_for(persona.admin), ["people:read", "hr:notes"], organisation_wide=True)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["details"] == [{"field": "scopes", "message": error["message"]}]
    assert "hr:notes" in error["message"] and "people:read" not in error["message"]
    assert ApiToken.objects.count() == 0
    # A token stored with the scope anyway (made before this rule) cannot use it.
    secret = stored_token(persona.admin, ["people:read", "hr:notes"], organisation_wide=True)
    api = Client()
    assert api.get("/api/v1/candidates", **bearer(secret)).status_code == 403
    notes = api.get(f"/api/v1/people/{persona.employee.pk}/hr-notes", **bearer(secret))
    assert notes.status_code == 403
    assert api.get("/api/v1/people", **bearer(secret)).status_code == 200


def test_hr_may_give_an_organisation_token_the_hr_scope_while_they_hold_the_role(
    persona, client_for
) -> None:
    boss: Any = PersonFactory(
        organisation=persona.organisation, roles=[Role.ADMIN, Role.HR], with_user=True
    )
    made = create(client_for(boss), ["hr:notes", "people:read"], organisation_wide=True)
    assert made.status_code == 201, made.content
    secret = made.json()["secret"]
    api = Client()
    assert api.get("/api/v1/candidates", **bearer(secret)).status_code == 200
    # Another admin takes the HR role away: the token loses hr:notes at its next request.
    removed = client_for(persona.admin).put(
        f"/api/v1/people/{boss.pk}/roles", {"roles": ["admin"]}, content_type=JSON
    )
    assert removed.status_code == 200
    assert api.get("/api/v1/candidates", **bearer(secret)).status_code == 403
    assert api.get("/api/v1/people", **bearer(secret)).status_code == 200
    # Given back, the scope works again: the token's own list never changed.
    RoleAssignment.objects.create(person=boss, role=Role.HR)
    assert api.get("/api/v1/candidates", **bearer(secret)).status_code == 200


def test_an_organisation_token_loses_everything_when_its_creator_leaves(
    persona, client_for
) -> None:
    secret = stored_token(persona.admin, ["people:read"], organisation_wide=True)
    api = Client()
    assert api.get("/api/v1/people", **bearer(secret)).status_code == 200
    persona.admin.employment_status = "left"
    persona.admin.save(update_fields=["employment_status"])
    assert api.get("/api/v1/people", **bearer(secret)).status_code == 403


def test_a_token_mints_only_scopes_its_creator_still_holds(persona, client_for) -> None:
    made = create(client_for(persona.hr), ["tokens:write", "hr:notes", "people:read"])
    assert made.status_code == 201, made.content
    secret = made.json()["secret"]
    RoleAssignment.objects.filter(person=persona.hr, role=Role.HR).delete()
    minted = Client().post(
        "/api/v1/tokens",
        {"name": "child", "scopes": ["hr:notes"]},
        content_type=JSON,
        **bearer(secret),
    )
    assert minted.status_code == 422
    assert minted.json()["error"]["details"][0]["field"] == "scopes"
    assert ApiToken.objects.count() == 1


def test_people_are_offered_only_the_scopes_their_roles_allow(persona, client_for) -> None:
    assert "hr:notes" in client_for(persona.hr).get("/me/tokens/").content.decode()
    page = client_for(persona.marketer).get("/me/tokens/").content.decode()
    assert "hr:notes" not in page and "organisation:write" not in page
    assert "content:write" in page
    refused = client_for(persona.marketer).post(
        "/me/tokens/", {"name": "x", "scopes": ["hr:notes"]}
    )
    assert refused.status_code == 200
    assert ApiToken.objects.count() == 0


def test_the_audit_log_names_the_token_of_every_write(persona, client_for) -> None:
    made = create(client_for(persona.admin), ["people:write"], organisation_wide=True)
    token = ApiToken.objects.get(pk=made.json()["id"])
    written = Client().post(
        "/api/v1/departments",
        {"name": "Achats"},
        content_type=JSON,
        **bearer(made.json()["secret"]),
    )
    assert written.status_code == 201, written.content
    event = AuditEvent.objects.filter(action="department.created").get()
    assert event.token_id == token.pk
    assert token.prefix in event.token_label and "script" in event.token_label
    listed = client_for(persona.admin).get("/api/v1/audit?action=department.created")
    assert listed.json()["items"][0]["token"] == event.token_label
    assert listed.json()["items"][0]["token_id"] == token.pk
    page = client_for(persona.admin).get("/console/audit/").content.decode()
    assert event.token_label in page
    # A session's writes name no token.
    client_for(persona.admin).post("/api/v1/departments", {"name": "Qualité"}, content_type=JSON)
    by_session = AuditEvent.objects.filter(action="department.created").order_by("-id")[0]
    assert by_session.token_id is None and by_session.token_label == ""


def test_only_admins_promote_anyone_themselves_included_and_it_is_audited(
    persona, client_for
) -> None:
    url = f"/api/v1/people/{persona.hr.pk}/roles"
    refused = client_for(persona.hr).put(url, {"roles": ["hr", "admin"]}, content_type=JSON)
    assert refused.status_code == 403
    # Nor through a token: the roles scope is beyond HR's roles.
    assert create(client_for(persona.hr), ["roles:write"]).status_code == 422
    assert not RoleAssignment.objects.filter(person=persona.hr, role=Role.ADMIN).exists()
    own = f"/api/v1/people/{persona.admin.pk}/roles"
    promoted = client_for(persona.admin).put(own, {"roles": ["admin", "hr"]}, content_type=JSON)
    assert promoted.status_code == 200
    event = AuditEvent.objects.get(action="person.roles_changed")
    assert event.actor == persona.admin.user and event.target_id == str(persona.admin.pk)
    assert event.before == {"roles": ["admin"]} and event.after == {"roles": ["admin", "hr"]}
