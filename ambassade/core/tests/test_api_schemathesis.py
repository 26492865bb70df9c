"""Schemathesis over every operation of /api/v1/, with an admin's token, on the demo data.

Checks: no server error, every answer conforms to the document (status, content type,
headers, body), requests the document calls invalid are refused, a method a path does
not have is a 405, and an operation needing a credential refuses a request without one.
The seed is fixed and the examples bounded so that the run fits CI;
``scripts/schemathesis_long.py`` runs the same with many more examples.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from ambassade.core.roles import Role

EXAMPLES = int(os.environ.get("AMBASSADE_SCHEMATHESIS_EXAMPLES", "5"))
SEED = int(os.environ.get("AMBASSADE_SCHEMATHESIS_SEED", "20261130"))
REPORT = os.environ.get("AMBASSADE_SCHEMATHESIS_REPORT", "")
# The coverage phase (every boundary and invalid value of every field, unexpected
# methods) sends a few hundred requests per operation: the long run has it; the suite
# checks 405 answers on every path in test_api_document.py instead.
COVERAGE = os.environ.get("AMBASSADE_SCHEMATHESIS_COVERAGE", "0") == "1"

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {
            "max-examples": EXAMPLES,
            "mode": "all",
            "deterministic": True,
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": COVERAGE},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {
            # Valid JSON Schema is not always a valid request: an end date before its
            # start, an unknown network code or a program one is not enrolled in are
            # business rules the document states in words; they are refused with 422.
            "positive_data_acceptance": {"enabled": False},
        },
    }
)

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)

CALLS: Counter[str] = Counter()


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Any:
    """The demo organisation, built once for the module and rolled back after it."""
    from ambassade.core import demo
    from ambassade.people.models import Person, RoleAssignment

    # Requests go to the WSGI application itself, not Django's test client: like that
    # client, keep the request signals from closing the connection that holds this
    # module's transaction (PostgreSQL would then answer "the connection is closed").
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        demo.build(people=30, days=14, seed=11, today=date.today(), progress=lambda _: None)
        admin = Person.objects.filter(role_assignments__role=Role.ADMIN).order_by("pk").first()
        assert admin is not None
        for role in Role:
            if role != Role.AMBASSADOR:
                RoleAssignment.objects.get_or_create(person=admin, role=role)
        from ambassade.core.authz import Actor, scopes_for_roles
        from ambassade.people import actions

        actor = Actor(
            organisation=admin.organisation,
            person=admin,
            roles=frozenset(admin.role_set),
        )
        _token, secret = actions.create_api_token(
            actor, name="schemathesis", scopes=sorted(scopes_for_roles(actor.roles))
        )
        yield {"Authorization": f"Bearer {secret}"}
        transaction.set_rollback(True)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    if REPORT:
        Path(REPORT).write_text(json.dumps(dict(CALLS)))


@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    print_blob=True,
)
@pytest.mark.django_db
def test_every_operation_holds_to_the_document(case: Any, world: Any) -> None:
    CALLS[case.operation.label] += 1
    case.call_and_validate(headers=world)
