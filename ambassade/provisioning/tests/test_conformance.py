"""scim2-tester, the SCIM conformance checker, against the endpoint in-process.

It reads /ServiceProviderConfig, /ResourceTypes and /Schemas, then creates, reads,
lists, searches, replaces, patches and deletes Users and Groups with random values, and
checks every answer. What the server says it does not support (bulk, sort, /.search)
is skipped by the checker itself; everything else must pass.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from pydantic import Field
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_models import Required, ResourceType, ScimProvider, Uniqueness
from scim2_tester import Status, check_server

from ambassade.provisioning.scim import discovery
from ambassade.provisioning.scim.models import Email, EnterpriseUser, Group, User
from ambassade.provisioning.tests.conftest import new_token
from ambassade.wsgi import application

BASE = "http://testserver/scim/v2"


class FreshAddresses(list[str]):
    """The checker takes userName values from the model's examples: a new address each
    time, since Ambassade's userName is the work e-mail address."""

    def __len__(self) -> int:
        return 1_000_000

    def __getitem__(self, index: Any) -> Any:
        return f"{uuid.uuid4().hex}@checker.example"


class CheckedEmail(Email):
    # The one address is the primary one: the checker is told, as it reads no schema for it.
    primary: bool | None = Field(None, examples=[True])


class CheckedUser(User):
    user_name: Annotated[str | None, Required.true, Uniqueness.server] = Field(
        None, examples=FreshAddresses()
    )
    emails: Annotated[list[CheckedEmail] | None, Required.true] = None  # type: ignore[assignment]


def test_scim2_tester_finds_no_failure(persona: Any) -> None:
    secret = new_token(persona.admin, "scim2-tester")
    provider = ScimProvider(
        models=[CheckedUser, Group, EnterpriseUser],
        resource_types=[
            ResourceType.model_validate(item) for item in discovery.resource_types(BASE)
        ],
    )
    client = WSGISCIMClient(
        application,
        base_url=BASE,
        headers={"Authorization": f"Bearer {secret}"},
        provider=provider,
    )
    # Django's own test client keeps the test's database connection open across requests
    # by leaving close_old_connections off request_started and request_finished; the WSGI
    # application called directly would close it inside the test's transaction
    # (PostgreSQL: "the connection is closed" at the next query).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        results = check_server(client)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    failures = [
        result for result in results if result.status not in (Status.SUCCESS, Status.SKIPPED)
    ]
    report = "\n".join(f"{r.title} [{r.resource_type}]: {r.reason}" for r in failures)
    passed = sum(result.status == Status.SUCCESS for result in results)
    skipped = [f"{r.title}: {r.reason}" for r in results if r.status == Status.SKIPPED]
    print(f"scim2-tester: {len(results)} checks, {passed} passed, {len(failures)} failed")
    print("skipped:", skipped)
    assert not failures, report
    assert passed > 40
