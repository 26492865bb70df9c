"""The provisioning pages (admins make tokens, admins and HR read the report) and the
Groups: members, renaming, and deleting that only unmaps."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from django.test import Client

from ambassade.people.models import Person
from ambassade.provisioning.models import ProvisioningToken
from ambassade.provisioning.tests.conftest import PATCH, ScimClient, user_body

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"


def test_an_admin_makes_a_token_shown_once_and_revokes_it(client_for: Any, persona: Any) -> None:
    admin = client_for(persona.admin)
    page = admin.post("/console/provisioning/", {"create_token": "1", "name": "Okta"})
    assert page.status_code == 200
    secret = re.search(r'value="(scim_[^"]+)"', page.content.decode())[1]
    token = ProvisioningToken.objects.get(name="Okta")
    assert secret not in (token.secret_hash, token.prefix)
    assert "http://testserver/scim/v2/" in page.content.decode()
    assert ScimClient(Client(), secret).get("Users").status_code == 200
    assert secret not in admin.get("/console/provisioning/").content.decode()
    admin.post(f"/console/provisioning/tokens/{token.pk}/revoke")
    assert ScimClient(Client(), secret).get("Users").status_code == 401
    admin.post("/console/provisioning/", {"save_mapping": "1", "groups_are": "sites"})
    assert ScimClient(Client(), secret).get("Groups").status_code == 401


def test_tokens_through_the_api(client_for: Any, persona: Any) -> None:
    admin = client_for(persona.admin)
    made = admin.post(
        "/api/v1/provisioning/tokens", {"name": "Keycloak"}, content_type="application/json"
    )
    assert made.status_code == 201
    secret = made.json()["secret"]
    assert secret.startswith("scim_") and made.json()["prefix"] == secret[:10]
    assert "secret" not in admin.get("/api/v1/provisioning/tokens").json()[0]
    assert ScimClient(Client(), secret).get("Users").status_code == 200
    hr = client_for(persona.hr)
    refused = hr.post("/api/v1/provisioning/tokens", {"name": "x"}, content_type="application/json")
    assert refused.status_code == 403
    token_id = made.json()["id"]
    other = client_for(persona.outsider).post(f"/api/v1/provisioning/tokens/{token_id}/revoke")
    assert other.status_code == 404
    revoked = admin.post(f"/api/v1/provisioning/tokens/{token_id}/revoke")
    assert revoked.json()["revoked_at"] is not None
    assert ScimClient(Client(), secret).get("Users").status_code == 401


def test_who_sees_the_pages(client_for: Any, persona: Any) -> None:
    assert client_for(persona.hr).get("/console/provisioning/").status_code == 403
    assert client_for(persona.hr).get("/console/provisioning/report/").status_code == 200
    assert client_for(persona.marketer).get("/console/provisioning/report/").status_code == 403
    assert client_for(persona.admin).get("/console/provisioning/report/").status_code == 200


def test_the_report_shows_what_arrived_and_what_was_refused(
    scim: Any, client_for: Any, persona: Any
) -> None:
    scim.post("Users", user_body("n@acme.example", "Nadia", "Rossi"))
    scim.post("Users", user_body(persona.hr.email))
    hr = client_for(persona.hr)
    page = hr.get("/console/provisioning/report/").content.decode()
    assert "Nadia Rossi" in page and "userName" in page
    assert "already used by another User" in page
    french = hr.get("/console/provisioning/report/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rapport de provisionnement" in french
    refused = hr.get("/console/provisioning/report/?outcome=refused").content.decode()
    assert "Nadia Rossi" not in refused


def test_groups_members_rename_and_unmap(scim: Any, persona: Any) -> None:
    ann = scim.post("Users", user_body("ann@acme.example")).body["id"]
    ben = scim.post("Users", user_body("ben@acme.example")).body["id"]
    created = scim.post(
        "Groups", {"schemas": [GROUP], "displayName": "Legal", "members": [{"value": ann}]}
    )
    assert created.status_code == 201
    group = created.body["id"]
    assert [member["value"] for member in created.body["members"]] == [ann]
    scim.patch(
        f"Groups/{group}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": ben}]}],
        },
    )
    assert Person.objects.get(pk=ben).department.name == "Legal"
    scim.patch(
        f"Groups/{group}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "remove", "path": f'members[value eq "{ann}"]'}],
        },
    )
    assert Person.objects.get(pk=ann).department is None
    renamed = scim.patch(
        f"Groups/{group}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "path": "displayName", "value": "Legal & Tax"}],
        },
    )
    assert renamed.body["displayName"] == "Legal & Tax"
    query = quote('displayName eq "legal & tax"')
    assert scim.get(f"Groups?filter={query}").body["totalResults"] == 1
    assert scim.delete(f"Groups/{group}").status_code == 204
    assert scim.get(f"Groups/{group}").status_code == 404
    ben_person = Person.objects.get(pk=ben)
    assert ben_person.department is not None and ben_person.department.name == "Legal & Tax"
    wrong_member = scim.post(
        "Groups",
        {"schemas": [GROUP], "displayName": "X", "members": [{"value": str(persona.outsider.pk)}]},
    )
    assert wrong_member.status_code == 400
    assert not persona.organisation.departments.filter(name="X").exists()
    again = scim.post("Groups", {"schemas": [GROUP], "displayName": "Legal & Tax"})
    assert again.status_code == 201 and again.body["id"] == group  # mapped again
