"""Signed-in pages and API answers are never stored by a cache; public answers keep theirs."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils.cache import get_max_age

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.strip().split("=")[0].lower() for part in header.split(",") if part.strip()}


@pytest.mark.parametrize(
    ("persona_name", "path"),
    [
        ("admin", "/console/"),
        ("admin", "/console/audit/"),
        ("hr", "/me/"),
        ("ambassador", "/me/tokens/"),
        ("employee", "/me/"),
        ("admin", "/accounts/login/"),  # a public page, while signed in
        ("admin", "/console/no-such-page/"),  # the 404 page of a signed-in person
    ],
)
def test_signed_in_pages_are_not_stored(persona, client_for, persona_name, path) -> None:
    response = client_for(getattr(persona, persona_name)).get(path)
    assert response.status_code in {200, 302, 404}, (path, response.status_code)
    assert {"no-store", "private"} <= directives(response), (path, response.get("Cache-Control"))


def test_api_answers_are_not_stored_whoever_asks(persona, client_for) -> None:
    signed_in = client_for(persona.admin)
    answers = [
        signed_in.get("/api/v1/me"),
        signed_in.get("/api/v1/people"),
        signed_in.post("/api/v1/tokens", {}, content_type="application/json"),  # 4xx
        Client().get("/api/v1/me"),  # 401, anonymous
        Client().get("/api/v1/no-such-thing"),  # 404 from Django's resolver
        Client().get("/api/v1/openapi.json"),
    ]
    for response in answers:
        assert "no-store" in directives(response), (response.status_code, response.content[:200])


def test_stored_images_keep_their_long_caching_for_a_signed_in_person(
    persona, client_for, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("content/cached.jpg", ContentFile(b"\xff\xd8\xff"))
    response = client_for(persona.admin).get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_static_files_keep_whitenoises_caching_for_a_signed_in_person(persona, client_for) -> None:
    response = client_for(persona.admin).get("/static/ambassade/app.css")
    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert get_max_age(response) is not None  # WhiteNoise's own max-age


def test_health_and_short_links_keep_their_own_headers(persona, client_for) -> None:
    from ambassade.tracking.actions import create_link

    link = create_link(
        organisation=persona.organisation,
        person=persona.ambassador,
        url="https://careers.example.com/jobs/42",
        network="linkedin",
    )
    signed_in = client_for(persona.admin)
    health = signed_in.get("/healthz")
    assert health["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    redirect = signed_in.get(f"/r/{link.code}")
    assert redirect.status_code == 302
    assert redirect["Cache-Control"] == "private, no-store, max-age=0"
