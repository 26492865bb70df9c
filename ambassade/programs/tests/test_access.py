"""Pages and API operations about one object, against every persona.

The project's access matrix (core/tests/test_access_matrix.py) covers the routes
without an identifier; these need objects. The outsider, an admin of another
organisation, gets 404 for every one of them: never data, never even a 403.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from ambassade.core.tests.test_access_matrix import PERSONAS
from ambassade.people import actions as people_actions
from ambassade.programs import actions
from ambassade.programs.tests.conftest import as_actor, kind

pytestmark = pytest.mark.django_db

VIEWERS = {"admin", "marketer", "hr", "comms", "sales", "coach"}
# The program of these tests has the employer brand among its goals: HR runs it too
# (HR on the other programs: test_program_roles.py).
MANAGERS = {"admin", "marketer", "hr"}
CHARTER_WRITERS = {"admin", "marketer", "hr", "comms"}
HR = {"admin", "hr"}


@pytest.fixture
def objects(persona, program, invite, enrol):
    marketer = as_actor(persona.marketer)
    target = actions.add_target(
        marketer,
        program,
        metric="shares",
        target=Decimal(10),
        period_start=date(2027, 1, 1),
        period_end=date(2027, 2, 1),
    )
    campaign, _, _ = actions.create_campaign(
        as_actor(persona.hr),
        program,
        [persona.sales],
        name="C",
        ambassador_type=kind(persona.organisation, "supporter"),
    )
    return {
        "program": program.pk,
        "version": program.charter_versions.get().pk,
        "target": target.pk,
        "campaign": campaign.pk,
        "invitation": invite(persona.employee).pk,
        "enrolment": enrol(persona.ambassador).pk,
        "type": kind(persona.organisation, "supporter").pk,
    }


# (method, path template, personas who get in, status of the others, status when in)
PAGES = [
    ("get", "/console/programs/{program}/", VIEWERS, 403, 200),
    ("get", "/console/programs/{program}/edit", MANAGERS, 403, 200),
    ("get", "/console/programs/{program}/targets/", MANAGERS, 403, 200),
    ("get", "/console/programs/{program}/charter/", CHARTER_WRITERS, 403, 200),
    ("get", "/console/programs/{program}/charter/{version}/", CHARTER_WRITERS, 403, 200),
    ("post", "/console/programs/{program}/charter/{version}/publish", CHARTER_WRITERS, 403, 302),
    ("post", "/console/programs/{program}/charter/preview", CHARTER_WRITERS, 403, 200),
    ("post", "/console/programs/{program}/charter/remind", CHARTER_WRITERS, 403, 302),
    ("get", "/console/programs/{program}/invitations/", HR, 403, 200),
    ("get", "/console/programs/{program}/campaigns/{campaign}/", HR, 403, 200),
    ("get", "/console/ambassador-types/{type}/", HR, 403, 200),
    ("get", "/me/invitations/{invitation}/", {"employee"}, 404, 200),
    ("get", "/me/enrolments/{enrolment}/leave", {"ambassador"}, 404, 200),
    ("get", "/me/enrolments/{enrolment}/charter/", {"ambassador"}, 404, 302),
    ("get", "/me/enrolments/{enrolment}/review", {"ambassador"}, 404, 302),
    ("post", "/me/enrolments/{enrolment}/visibility", {"ambassador"}, 404, 302),
    ("post", "/me/programs/{program}/join", set(), 404, 302),  # not a self-service program
]
BAD_TARGET = {
    "metric": "shares",
    "target": "0",
    "period_start": "2027-01-01",
    "period_end": "2027-02-01",
}
# (method, path template, personas who get in, status of the others, status when in, body):
# the bodies are well-formed, so that refusals come from the rules, not from parsing.
API = [
    ("get", "/api/v1/programs/{program}", VIEWERS, 403, 200, None),
    ("patch", "/api/v1/programs/{program}", MANAGERS, 403, 200, {}),
    ("get", "/api/v1/programs/{program}/targets", VIEWERS, 403, 200, None),
    ("post", "/api/v1/programs/{program}/targets", MANAGERS, 403, 422, BAD_TARGET),
    ("patch", "/api/v1/programs/{program}/targets/{target}", MANAGERS, 403, 200, {}),
    ("get", "/api/v1/programs/{program}/charter-versions", VIEWERS, 403, 200, None),
    (
        "post",
        "/api/v1/programs/{program}/charter-versions",
        CHARTER_WRITERS,
        403,
        201,
        # A well-formed draft: the body is validated before the permission is decided.
        {"body_fr": "x", "body_en": "x"},
    ),
    (
        "post",
        "/api/v1/programs/{program}/charter-versions/{version}/publish",
        CHARTER_WRITERS,
        403,
        422,  # already published
        None,
    ),
    ("get", "/api/v1/programs/{program}/invitations", HR, 403, 200, None),
    ("get", "/api/v1/programs/{program}/invitations/funnel", HR, 403, 200, None),
    # Anyone may try to invite (managers invite their reports); only HR may invite these,
    # and nobody may invite a de facto representative.
    (
        "post",
        "/api/v1/programs/{program}/invitations",
        HR,
        403,
        422,
        {"person_ids": ["{employee}"], "ambassador_type": "de_facto"},
    ),
    (
        "post",
        "/api/v1/me/invitations/{invitation}/accept",
        {"employee"},
        404,
        422,
        {"accept_charter": False},
    ),
    ("post", "/api/v1/me/invitations/{invitation}/decline", {"employee"}, 404, 200, None),
    (
        "post",
        "/api/v1/me/enrolments/{enrolment}/reaccept",
        {"ambassador"},
        404,
        422,  # nothing to re-accept
        {"accept_charter": True},
    ),
    (
        "put",
        "/api/v1/me/enrolments/{enrolment}/visibility",
        {"ambassador"},
        404,
        200,
        {"individual_visibility": True},
    ),
    ("post", "/api/v1/me/enrolments/{enrolment}/leave", {"ambassador"}, 404, 200, {}),
    ("patch", "/api/v1/ambassador-types/{type}", HR, 403, 200, {}),
]


@pytest.mark.parametrize(("method", "template", "allowed", "refused", "ok"), PAGES)
def test_object_pages(persona, client_for, objects, method, template, allowed, refused, ok):
    path = template.format(**objects)
    for name in PERSONAS:
        response = getattr(client_for(getattr(persona, name)), method)(path)
        expected = 404 if name == "outsider" else ok if name in allowed else refused
        assert response.status_code == expected, f"{name} {method.upper()} {path}"


@pytest.mark.parametrize(("method", "template", "allowed", "refused", "ok", "body"), API)
def test_object_api(persona, client_for, objects, method, template, allowed, refused, ok, body):
    path = template.format(**objects)
    for name in PERSONAS:
        person = getattr(persona, name)
        if name == "outsider":
            # Through a token of the outsider's own organisation, with every scope.
            _, secret = people_actions.create_api_token(
                as_actor(person),
                name="all",
                scopes=["programs:read", "programs:write", "enrolment:write"],
            )
            client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        else:
            client = client_for(person)
        if body is None:
            response = getattr(client, method)(path)
        else:
            data = dict(body)
            if "person_ids" in data:
                data["person_ids"] = [persona.employee.pk]
            response = getattr(client, method)(path, data, content_type="application/json")
        expected = 404 if name == "outsider" else ok if name in allowed else refused
        assert response.status_code == expected, f"{name} {method.upper()} {path}"
