"""Bad input is refused precisely and changes nothing; tokens are scoped; a deactivation
is the departure everywhere (sharing forgets the accounts); position changes announced."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ambassade.core.authz import actor_for_person
from ambassade.people import signals
from ambassade.people.models import Person
from ambassade.provisioning import actions
from ambassade.provisioning.models import ProvisioningToken
from ambassade.provisioning.tests.conftest import PATCH, USER, ScimClient, new_token, user_body
from ambassade.sharing import crypto
from ambassade.sharing.models import SocialAccount


def test_bad_tokens_and_scopes(scim: Any, persona: Any) -> None:
    assert ScimClient(Client(), "scim_wrong").get("Users").status_code == 401
    assert Client().get("/scim/v2/Users").status_code == 401
    token = ProvisioningToken.objects.get()
    assert token.last_used_at is None
    assert scim.get("Users").status_code == 200
    assert ProvisioningToken.objects.get(pk=token.pk).last_used_at is not None
    actions.revoke_token(actor_for_person(persona.admin), token)
    revoked = scim.get("Users")
    assert revoked.status_code == 401
    assert revoked.body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    # A provisioning token does not open the API, nor an API token SCIM.
    secret = new_token(persona.admin)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    from ambassade.people.actions import create_api_token

    _token, api_secret = create_api_token(
        actor_for_person(persona.admin), name="x", scopes=["people:read"], organisation_wide=True
    )
    assert ScimClient(Client(), api_secret).get("Users").status_code == 401


def test_malformed_and_wrong_requests_change_nothing(scim: Any, persona: Any) -> None:
    people = Person.objects.count()
    bad_json = scim.post("Users", "{not json")
    assert (bad_json.status_code, bad_json.body["scimType"]) == (400, "invalidSyntax")
    wrong_schema = scim.post(
        "Users", {**user_body("x@acme.example"), "schemas": ["urn:example:Thing"]}
    )
    assert wrong_schema.body["scimType"] == "invalidValue"
    assert "schemas" in wrong_schema.body["detail"]
    unknown = scim.post("Users", {**user_body("x@acme.example"), "shoeSize": 43})
    assert (unknown.body["scimType"], "shoeSize" in unknown.body["detail"]) == (
        "invalidSyntax",
        True,
    )
    not_email = scim.post("Users", user_body("jdupont"))
    assert not_email.body["scimType"] == "invalidValue"
    # Department created then the manager refused: the department is not left behind.
    half = scim.post(
        "Users",
        user_body(
            "y@acme.example",
            **{
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                    "department": "Ghost",
                    "manager": {"value": "999999"},
                }
            },
        ),
    )
    assert half.status_code == 400
    assert not persona.organisation.departments.filter(name="Ghost").exists()
    assert Person.objects.count() == people
    bad_filter = scim.get('Users?filter=nickName eq "x"')
    assert (bad_filter.status_code, bad_filter.body["scimType"]) == (400, "invalidFilter")
    assert scim.get("Users?filter=userName eq").body["scimType"] == "invalidFilter"
    bad_path = scim.patch(
        f"Users/{persona.employee.pk}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "shoeSize", "value": 1}]},
    )
    assert bad_path.body["scimType"] == "invalidPath"
    no_target = scim.patch(
        f"Users/{persona.employee.pk}", {"schemas": [PATCH], "Operations": [{"op": "remove"}]}
    )
    assert no_target.body["scimType"] == "noTarget"


def test_uniqueness_is_per_organisation(scim: Any, persona: Any) -> None:
    # The outsider's address is used in another organisation: fine here.
    assert scim.post("Users", user_body(persona.outsider.email)).status_code == 201
    taken = scim.post("Users", user_body(persona.hr.email))
    assert (taken.status_code, taken.body["scimType"]) == (409, "uniqueness")
    scim.post("Users", user_body("k@acme.example", externalId="ext-1"))
    again = scim.post("Users", user_body("l@acme.example", externalId="ext-1"))
    assert (again.status_code, again.body["scimType"]) == (409, "uniqueness")
    change = scim.patch(
        f"Users/{persona.employee.pk}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "path": "userName", "value": persona.hr.email}],
        },
    )
    assert change.status_code == 409


def test_deactivation_ends_publishing_and_forgets_social_accounts(scim: Any, persona: Any) -> None:
    ambassador = persona.ambassador
    account = SocialAccount.objects.create(
        organisation=persona.organisation,
        person=ambassador,
        network="linkedin",
        remote_id="urn:li:1",
        handle="@amb",
        secrets=crypto.encrypt({"access_token": "secret"}),
    )
    answer = scim.patch(
        f"Users/{ambassador.pk}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": "False"}]},
    )
    assert answer.status_code == 200 and answer.body["active"] is False
    account.refresh_from_db()
    assert account.status == SocialAccount.Status.DISCONNECTED
    assert account.secrets == ""
    ambassador.refresh_from_db()
    assert ambassador.role_set == frozenset()  # nothing left to publish with


def test_reinstating_is_safe_and_anonymised_people_stay_gone(scim: Any, persona: Any) -> None:
    marketer = persona.marketer
    off = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]}
    on = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": True}]}
    scim.patch(f"Users/{marketer.pk}", off)
    assert scim.patch(f"Users/{marketer.pk}", on).body["active"] is True
    marketer = Person.objects.get(pk=marketer.pk)
    assert marketer.role_set == frozenset({"employee"})  # the marketing role is not given back
    from ambassade.people.actions import anonymise_person

    anonymise_person(None, marketer, reason="retention")
    refused = scim.patch(f"Users/{marketer.pk}", on)
    assert refused.status_code == 400 and "anonymised" in refused.body["detail"]
    assert Person.objects.get(pk=marketer.pk).employment_status == "left"


def test_a_position_change_is_announced(scim: Any, persona: Any) -> None:
    heard: list[dict[str, Any]] = []

    def receiver(sender: Any, person: Any, before: Any, after: Any, **kwargs: Any) -> None:
        heard.append({"person": person.pk, "before": before, "after": after})

    signals.person_position_changed.connect(receiver)
    try:
        answer = scim.put(
            f"Users/{persona.sales.pk}",
            user_body(
                persona.sales.email,
                persona.sales.first_name,
                persona.sales.last_name,
                title="Head of Sales",
            ),
        )
    finally:
        signals.person_position_changed.disconnect(receiver)
    assert answer.status_code == 200
    assert heard == [
        {
            "person": persona.sales.pk,
            "before": {"job_title": "Engineer"},
            "after": {"job_title": "Head of Sales"},
        }
    ]


def test_discovery_endpoints(scim: Any) -> None:
    config = scim.get("ServiceProviderConfig").body
    assert config["bulk"]["supported"] is False and config["sort"]["supported"] is False
    assert config["patch"]["supported"] and config["etag"]["supported"]
    types = scim.get("ResourceTypes").body
    assert {item["id"] for item in types["Resources"]} == {"User", "Group"}
    schema = scim.get(f"Schemas/{USER}").body
    assert {item["name"] for item in schema["attributes"]} >= {
        "userName",
        "name",
        "emails",
        "active",
    }
    assert scim.get("Nowhere").status_code == 404


def test_wrong_tokens_are_limited_per_source(scim: Any, settings: Any) -> None:
    settings.API_TOKEN_FAILURES = "3/m/ip"
    wrong = ScimClient(Client(), "scim_wrong")
    assert [wrong.get("Users").status_code for _ in range(3)] == [401, 401, 401]
    assert wrong.get("Users").status_code == 429
    assert scim.get("Users").status_code == 429  # even a good token, from there, for a while
