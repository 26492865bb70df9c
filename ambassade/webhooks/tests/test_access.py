"""Every webhook page and operation on an endpoint of Acme, persona by persona: admins
only (webhooks.manage), and the admin of another organisation gets 404."""

from __future__ import annotations

import pytest

from ambassade.core.authz import actor_for_person
from ambassade.webhooks import actions
from ambassade.webhooks.tests.conftest import add_endpoint

pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "marketer", "hr", "comms", "sales", "coach", "ambassador", "employee"]
BASE = "/console/settings/webhooks/{endpoint_id}"
API = "/api/v1/webhooks/endpoints/{endpoint_id}"

# (method, path, status for the admin); the last rows change or delete the endpoint.
ROUTES = [
    ("get", BASE + "/", 200),
    ("get", BASE + "/messages/{message_id}", 200),
    ("post", BASE + "/messages/{message_id}/replay", 302),
    ("post", BASE + "/test", 302),
    ("post", BASE + "/rotate", 200),
    ("get", API, 200),
    ("get", API + "/messages", 200),
    ("get", API + "/messages/{message_id}", 200),
    ("post", API + "/messages/{message_id}/replay", 202),
    ("post", API + "/test", 202),
    ("post", API + "/rotate", 200),
    ("patch", API, 200),
    ("get", BASE + "/delete", 200),
    ("post", BASE + "/switch", 302),
    ("post", BASE + "/delete", 302),
    ("delete", API, 204),
]


@pytest.mark.parametrize(("method", "path", "ok"), ROUTES)
def test_only_admins_reach_an_endpoint(persona, client_for, consumer, method, path, ok) -> None:
    endpoint = add_endpoint(persona.admin, consumer)
    message = actions.send_test(actor_for_person(persona.admin), endpoint)
    url = path.format(endpoint_id=endpoint.pk, message_id=message.pk)
    body = {"data": {"description": "CRM"}, "content_type": "application/json"}
    for name in [*PERSONAS, "outsider"]:
        client = client_for(getattr(persona, name))
        response = getattr(client, method)(url, **(body if method == "patch" else {}))
        expected = ok if name == "admin" else 404 if name == "outsider" else 403
        assert response.status_code == expected, f"{name} {method.upper()} {url}"
