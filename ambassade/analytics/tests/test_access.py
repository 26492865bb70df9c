"""Each persona against Acme's program dashboard, its CSV and its API; tokens' scopes."""

from __future__ import annotations

import pytest

from ambassade.core.tests.test_access_matrix import CONSOLE, PERSONAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/console/analytics/programs/{id}/",
        "/console/analytics/programs/{id}/?export=targets&format=csv",
        "/console/analytics/programs/{id}/?export=all&format=xlsx",
        "/console/analytics/programs/{id}/content/",
        "/console/analytics/programs/{id}/networks/?export=value&format=csv",
        "/console/analytics/programs/{id}/people/",
        "/api/v1/analytics/programs/{id}",
        "/api/v1/analytics/programs/{id}/content",
        "/api/v1/analytics/programs/{id}/networks",
        "/api/v1/analytics/programs/{id}/people",
    ],
)
def test_program_figures_are_for_the_working_group(persona, program, client_for, path) -> None:
    url = path.format(id=program.pk)
    for name in PERSONAS:
        response = client_for(getattr(persona, name)).get(url)
        expected = 403 if name not in CONSOLE else 404 if name == "outsider" else 200
        assert response.status_code == expected, f"{name} {url}"


def test_an_unknown_program_is_404(persona, client_for) -> None:
    client = client_for(persona.marketer)
    assert client.get("/console/analytics/programs/999999/").status_code == 404
    assert client.get("/api/v1/analytics/programs/999999").status_code == 404


def test_tokens_need_the_analytics_scope(persona, program) -> None:
    from ambassade.people.models import ApiToken, hash_token

    def token(scopes: list[str], person) -> str:
        secret = f"amb_test{len(scopes)}{person.pk}"
        ApiToken.objects.create(
            organisation=persona.organisation,
            person=person,
            name="t",
            scopes=scopes,
            secret_hash=hash_token(secret),
        )
        return secret

    from django.test import Client

    client = Client()
    url = f"/api/v1/analytics/programs/{program.pk}"
    ok = token(["analytics:read"], persona.marketer)
    other = token(["programs:read", "links:read"], persona.admin)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {ok}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 403
    mine = token(["analytics:read"], persona.ambassador)
    assert (
        client.get("/api/v1/analytics/me", HTTP_AUTHORIZATION=f"Bearer {mine}").status_code == 200
    )
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {mine}").status_code == 403


def test_one_person_figures_only_when_they_opted_in(persona, program, client_for) -> None:
    from ambassade.analytics.tests.conftest import member
    from ambassade.programs.models import Enrolment

    shown, private = member(program), member(program)
    Enrolment.objects.filter(person=shown).update(individual_visibility=True)
    for person, allowed in ((shown, 200), (private, 404)):
        for path in (
            f"/console/analytics/programs/{program.pk}/people/{person.pk}/",
            f"/api/v1/analytics/programs/{program.pk}/people/{person.pk}",
        ):
            for name in PERSONAS:
                response = client_for(getattr(persona, name)).get(path)
                expected = 403 if name not in CONSOLE else 404 if name == "outsider" else allowed
                assert response.status_code == expected, f"{name} {path}"
