"""An organisation's allowed hosts name public hosts only, on the page and in the API.

Before, an admin could list 127.0.0.1, 169.254.169.254 or localhost, and previews and
feeds then read internal addresses on any port. Intranet hosts are the operator's
(OUTBOUND_ALLOWED_HOSTS, per host and port); see core/tests/test_outbound.py.
"""

from __future__ import annotations

import pytest

from ambassade.content.models import ContentItem, ContentSettings
from ambassade.testing.local_site import page_of, serve

pytestmark = pytest.mark.django_db
JSON = "application/json"

IP_LITERALS = [
    "127.0.0.1",
    "169.254.169.254",
    "10.0.0.1",
    "2130706433",
    "0x7f000001",
    "0177.0.0.1",
    "127.1",
    "::1",
    "[::1]",
    "::ffff:127.0.0.1",
    "[64:ff9b::a9fe:a9fe]",
    "8.8.8.8",  # public, but an address all the same: write its name
]
LOCAL_NAMES = ["localhost", "intranet.localhost", "printer.local", "db.internal", "nas.home.arpa"]
SETTINGS = {"save_settings": "1", "promotional_threshold": 20, "trusted_after": 5}


@pytest.mark.parametrize("host", IP_LITERALS + LOCAL_NAMES)
def test_the_settings_page_refuses_addresses_and_local_names(persona, client_for, host) -> None:
    page = client_for(persona.admin).post(
        "/console/content/setup/", {**SETTINGS, "allowed_hosts": f"news.example.com\n{host}"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    kind = "is an IP address" if host in IP_LITERALS else "is a local name"
    assert kind in text and "write a public host name" in text
    assert not ContentSettings.objects.filter(allowed_hosts__contains="news").exists()


@pytest.mark.parametrize("host", IP_LITERALS + LOCAL_NAMES)
def test_the_api_refuses_addresses_and_local_names_naming_the_field(
    persona, client_for, host
) -> None:
    response = client_for(persona.admin).patch(
        "/api/v1/content/settings", {"allowed_hosts": ["news.example.com", host]}, JSON
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["details"] == [{"field": "allowed_hosts", "message": error["message"]}]
    assert "write a public host name" in error["message"]
    assert not ContentSettings.objects.filter(allowed_hosts__contains="news").exists()


def test_the_api_reads_and_writes_the_settings(persona, client_for) -> None:
    admin = client_for(persona.admin)
    assert admin.get("/api/v1/content/settings").json() == {
        "promotional_threshold": 20,
        "trusted_after": 5,
        "allowed_hosts": [],
        "alumni_disclosure": "",
    }
    changed = admin.patch(
        "/api/v1/content/settings",
        {
            "allowed_hosts": ["News.Example.com.", "feeds.example.org"],
            "trusted_after": 3,
            "alumni_disclosure": "Ancienne de {organisation}",
        },
        JSON,
    )
    assert changed.status_code == 200, changed.content
    assert changed.json() == {
        "promotional_threshold": 20,
        "trusted_after": 3,
        "allowed_hosts": ["feeds.example.org", "news.example.com"],
        "alumni_disclosure": "Ancienne de {organisation}",
    }
    bad_number = admin.patch("/api/v1/content/settings", {"trusted_after": 500}, JSON)
    assert bad_number.status_code == 422
    assert bad_number.json()["error"]["details"][0]["field"].endswith("trusted_after")
    # HR does not own these settings.
    hr = client_for(persona.hr)
    assert hr.get("/api/v1/content/settings").status_code == 403
    refused = hr.patch("/api/v1/content/settings", {"allowed_hosts": ["x.example"]}, JSON)
    assert refused.status_code == 403
    assert ContentSettings.objects.get().allowed_hosts == "feeds.example.org\nnews.example.com"
    # Marketing, who produces the content, sets the promotional threshold and the hosts.
    marketer = client_for(persona.marketer)
    changed = marketer.patch(
        "/api/v1/content/settings",
        {"promotional_threshold": 15, "allowed_hosts": ["x.example.org"]},
        JSON,
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["promotional_threshold"] == 15
    assert changed.json()["allowed_hosts"] == ["x.example.org"]


def test_the_refusals_are_in_french_for_a_french_admin(persona, client_for) -> None:
    persona.admin.user.language = "fr"
    persona.admin.user.save(update_fields=["language"])
    admin = client_for(persona.admin)
    response = admin.patch("/api/v1/content/settings", {"allowed_hosts": ["127.0.0.1"]}, JSON)
    assert "est une adresse IP" in response.json()["error"]["message"]
    page = admin.post("/console/content/setup/", {**SETTINGS, "allowed_hosts": "localhost"})
    assert "est un nom local" in page.content.decode()


def test_a_list_stored_before_the_check_opens_no_internal_address(
    persona, client_for, program, immediate_tasks
) -> None:
    ContentSettings.objects.create(
        organisation=persona.organisation, allowed_hosts="127.0.0.1\nlocalhost\n169.254.169.254"
    )
    html = b"<title>Internal wiki</title>"
    with serve({"/wiki": page_of("text/html", html)}, allowed=False) as internal:
        client = client_for(persona.marketer)
        data = {"kind": "article", "program": program.pk, "language": "fr"}
        with immediate_tasks():
            client.post("/console/content/new", {**data, "url": f"{internal.url}/wiki"})
        item = ContentItem.objects.get()
        assert item.preview_status == "failed"
        # Refused for its port or for its address: either way, never read.
        assert "autorisé" in item.preview_error or "privée" in item.preview_error
        assert internal.hits == []
