"""The installable app through HTTP: manifest, icons, service worker, offline page, CSP,
and the share target that opens a pre-filled suggestion."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import pytest
from django.test import Client
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_organisation_and_uses_its_colour(persona, client_for) -> None:
    organisation = persona.organisation
    organisation.name, organisation.brand_colour = "Verdier", "#C0392B"
    organisation.save()
    response = client_for(persona.ambassador).get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == manifest["short_name"] == "Verdier"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#c0392b"
    assert manifest["start_url"] == "/me/home/" and manifest["scope"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    assert manifest["share_target"]["action"] == "/me/suggest/"
    assert manifest["share_target"]["params"] == {"title": "title", "text": "text", "url": "url"}
    for icon in manifest["icons"]:
        assert "c0392b" in icon["src"]
        picture = Image.open(io.BytesIO(Client().get(icon["src"]).content))
        assert f"{picture.width}x{picture.height}" == icon["sizes"]
        # The brand colour fills the middle of an edge (the rounded corners are clear),
        # within what a 64-colour palette changes.
        edge = picture.convert("RGBA").getpixel((picture.width // 2, 2))[:3]
        assert all(abs(a - b) <= 6 for a, b in zip(edge, (192, 57, 43), strict=True)), edge


def test_icons_refuse_other_sizes_and_colours() -> None:
    assert Client().get("/app-icons/c0392b/64.png").status_code == 404
    assert Client().get("/app-icons/notacolour/192.png").status_code == 404
    response = Client().get("/app-icons/1d3f8f/512-maskable.png")
    assert response.status_code == 200 and "immutable" in response["Cache-Control"]


def test_ambassador_pages_link_the_manifest_and_allow_the_worker(persona, client_for) -> None:
    page = client_for(persona.ambassador).get("/me/suggest/")
    assert 'rel="manifest"' in page.content.decode()
    policy = page["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_the_worker_keeps_the_shell_and_the_offline_page_only() -> None:
    response = Client().get("/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    assert '"/offline"' in script and "/static/ambassade/app.css" in script
    assert "/api/" not in script.split("const OFFLINE")[0]
    offline = Client().get("/offline")
    assert offline.status_code == 200 and "csrf" not in offline.content.decode()


def test_a_shared_link_opens_a_suggestion_after_sign_in(persona, client_for) -> None:
    shared = "/me/suggest/?" + urlencode(
        {"title": "Un article", "text": "À lire https://example.com/article?x=1", "url": ""}
    )
    anonymous = Client().get(shared)
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]
    page = client_for(persona.ambassador).get(shared).content.decode()
    assert 'value="https://example.com/article?x=1"' in page
    assert "À lire</textarea>" in page
