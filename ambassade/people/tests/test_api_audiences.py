"""Audiences in the API: the count before sending and saved segments, with strict input."""

from __future__ import annotations

import pytest
from django.test import Client

from ambassade.core.models import AuditEvent
from ambassade.people.tests.test_api import bearer, make_token
from ambassade.testing.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _post(secret: str, path: str, body: object) -> object:
    return Client().post(f"/api/v1{path}", body, content_type="application/json", **bearer(secret))


def test_hr_counts_an_audience_and_saves_it_as_a_segment(persona, client_for) -> None:
    sales = DepartmentFactory(organisation=persona.organisation, name="Ventes")
    for _ in range(3):
        PersonFactory(organisation=persona.organisation, department=sales)
    secret = make_token(client_for(persona.hr), ["programs:write"])
    criteria = {"department": [str(sales.pk)]}
    counted = _post(secret, "/audiences/count", {"criteria": criteria})
    assert counted.status_code == 200 and counted.json()["count"] == 3
    created = _post(secret, "/segments", {"name": "Ventes", "criteria": criteria})
    assert created.status_code == 201 and created.json()["count"] == 3
    listed = Client().get("/api/v1/segments", **bearer(secret)).json()
    assert [segment["name"] for segment in listed] == ["Ventes"]
    assert AuditEvent.objects.filter(action="segment.saved").exists()
    criteria_list = Client().get("/api/v1/audiences/criteria", **bearer(secret)).json()
    assert "ambassador_type" in {criterion["key"] for criterion in criteria_list}


def test_unknown_criteria_values_and_loose_types_are_refused(persona, client_for) -> None:
    elsewhere = DepartmentFactory(organisation=persona.outsider.organisation)
    secret = make_token(client_for(persona.hr), ["programs:write"])
    foreign = _post(secret, "/audiences/count", {"criteria": {"department": [str(elsewhere.pk)]}})
    assert foreign.status_code == 422
    assert foreign.json()["error"]["details"][0]["field"] == "department"
    unknown = _post(secret, "/audiences/count", {"criteria": {"shoe_size": ["42"]}})
    assert unknown.status_code == 422
    loose = _post(secret, "/audiences/count", {"criteria": {"department": [elsewhere.pk]}})
    assert loose.status_code == 422
    extra = _post(secret, "/segments", {"name": "X", "criteria": {}, "public": True})
    assert extra.status_code == 422


def test_a_coach_may_not_read_segments(persona, client_for) -> None:
    secret = make_token(client_for(persona.coach), ["people:read"])
    assert Client().get("/api/v1/segments", **bearer(secret)).status_code == 403
