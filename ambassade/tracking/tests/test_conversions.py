"""A test career site reports conversions through the API and through a signed pixel."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from ambassade.core.roles import Scope
from ambassade.people.actions import create_api_token
from ambassade.tracking import actions
from ambassade.tracking.models import Conversion, TrackingSettings
from ambassade.tracking.tests.conftest import BROWSER

pytestmark = pytest.mark.django_db


@pytest.fixture
def attributed(persona, make_link):
    """A link whose destination carries the attribution reference, as a career site sees it."""
    TrackingSettings.objects.create(organisation=persona.organisation, attribution_parameter="amb")
    link = make_link()
    landing = Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)["Location"]
    reference = parse_qs(urlsplit(landing).query)["amb"][0]
    return link, reference


@pytest.fixture
def career_site(persona):
    """An HTTP client holding an organisation token with the conversions:write scope."""
    from ambassade.core.authz import actor_for_person

    secret = create_api_token(
        actor_for_person(persona.admin),
        name="Career site",
        scopes=[Scope.CONVERSIONS_WRITE],
        organisation_wide=True,
    )[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client: Client, body: dict):
    return client.post("/api/v1/conversions", body, content_type="application/json")


def test_a_conversion_reported_through_the_api_is_attributed(
    persona, attributed, career_site
) -> None:
    link, reference = attributed
    body = {"reference": reference, "kind": "application", "idempotency_key": "app-1001"}
    response = post(career_site, {**body, "value": "1500.00", "currency": "eur"})
    assert response.status_code == 201, response.content
    assert response.json()["replayed"] is False
    conversion = Conversion.objects.get()
    assert (conversion.link, conversion.person, conversion.network) == (
        link,
        persona.ambassador,
        "linkedin",
    )
    assert (conversion.content_item_id, str(conversion.value), conversion.currency) == (
        42,
        "1500.00",
        "EUR",
    )
    # The same report again (a retry): the same conversion, counted once.
    again = post(career_site, {**body, "value": "1500", "currency": "EUR"})
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["id"] == response.json()["id"]
    conflict = post(career_site, {**body, "kind": "lead"})
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "idempotency_conflict"
    assert Conversion.objects.count() == 1


def test_unknown_references_get_a_clear_answer(persona, career_site, make_link) -> None:
    for reference in ("Nope1234", "x", "<script>", "a" * 40):
        response = post(
            career_site, {"reference": reference, "kind": "lead", "idempotency_key": reference}
        )
        assert response.status_code in {404, 422}
        assert response.json()["error"]["code"] in {"unknown_reference", "invalid"}
    bad = post(career_site, {"reference": "Abcdefg1", "kind": "purchase", "idempotency_key": "k"})
    assert bad.status_code == 422


def test_another_organisations_reference_is_unknown(persona, career_site) -> None:
    from ambassade.tracking.actions import create_link

    elsewhere = create_link(
        organisation=persona.outsider.organisation, url="https://e.example/", network="x"
    )
    response = post(
        career_site, {"reference": elsewhere.code, "kind": "lead", "idempotency_key": "k"}
    )
    assert response.status_code == 404


def test_the_scope_is_needed(persona, attributed) -> None:
    from ambassade.core.authz import actor_for_person

    secret = create_api_token(
        actor_for_person(persona.admin),
        name="Reader",
        scopes=[Scope.LINKS_READ],
        organisation_wide=True,
    )[1]
    _link, reference = attributed
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = post(client, {"reference": reference, "kind": "lead", "idempotency_key": "k"})
    assert response.status_code == 403
    assert Client().post("/api/v1/conversions", {}).status_code == 401


def test_a_signed_pixel_is_attributed_once(persona, attributed) -> None:
    link, reference = attributed
    payload = {"ref": reference, "kind": "signup", "key": "newsletter-77", "value": 0}
    url = actions.pixel_url(link, payload)
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response["X-Ambassade-Conversion"] == "recorded"
    assert Client().get(url)["X-Ambassade-Conversion"] == "replayed"
    conversion = Conversion.objects.get()
    assert (conversion.kind, conversion.source, conversion.person) == (
        "signup",
        "pixel",
        persona.ambassador,
    )


def test_a_forged_pixel_is_refused(persona, attributed) -> None:
    _link, reference = attributed
    forged = actions.sign_pixel("not-the-secret", {"ref": reference, "kind": "lead", "key": "1"})
    response = Client().get(f"/r/c/{forged}.gif")
    assert (response.status_code, response["X-Ambassade-Conversion"]) == (403, "bad_signature")
    unknown = actions.sign_pixel("x", {"ref": "Unknown12", "kind": "lead", "key": "1"})
    assert Client().get(f"/r/c/{unknown}.gif").status_code == 404
    assert not Conversion.objects.exists()
