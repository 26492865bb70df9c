"""The badges' API: marketing creates and changes badges (a name taken, a threshold out of
range: a 422 naming the field, never a 500), an ambassador may not (403) but reads their
own badges and what earns the others; another organisation's badge is a 404."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from ambassade.core.models import AuditEvent
from ambassade.learning.tests.conftest import send
from ambassade.recognition import ledger
from ambassade.recognition.models import Badge, Criterion, RuleKind

pytestmark = pytest.mark.django_db
BADGE = {"name": "Première voix", "criterion": "first_personal_share"}


def _fields(response: Any) -> list[str]:
    return [detail["field"] for detail in response.json()["error"]["details"]]


def test_marketing_creates_and_changes_badges(persona, client_for, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_for(persona.marketer)
    created = send(client, "post", "/api/v1/recognition/badges", BADGE)
    assert created.status_code == 201, created.content
    badge = created.json()
    assert badge["threshold"] == 1 and badge["active"] and badge["awarded"] == 0
    assert badge["criterion_name"] == "Shares with a personal message"

    taken = send(client, "post", "/api/v1/recognition/badges", BADGE | {"name": "PREMIÈRE voix"})
    assert taken.status_code == 422
    assert _fields(taken) == ["name"]
    assert "already has a badge named" in taken.json()["error"]["details"][0]["message"]
    for wrong in ({"threshold": 0}, {"threshold": 1001}, {"criterion": "likes"}):
        refused = send(client, "post", "/api/v1/recognition/badges", BADGE | {"name": "B"} | wrong)
        assert refused.status_code == 422, wrong
        assert _fields(refused) == [next(iter(wrong))]
    path = send(
        client,
        "post",
        "/api/v1/recognition/badges",
        {"name": "Diplômé", "criterion": "path_completed", "threshold": 3},
    )
    assert path.status_code == 422 and _fields(path) == ["threshold"]
    assert Badge.objects.count() == 1

    url = f"/api/v1/recognition/badges/{badge['id']}"
    changed = send(client, "patch", url, {"threshold": 2, "active": False})
    assert changed.status_code == 200, changed.content
    assert changed.json()["threshold"] == 2 and not changed.json()["active"]
    assert AuditEvent.objects.filter(action="recognition.badge_retired").count() == 1
    picture = io.BytesIO()
    Image.new("RGBA", (40, 40), (200, 150, 0, 128)).save(picture, "PNG")
    picture.seek(0)
    picture.name = "badge.png"
    imaged = client.post(f"{url}/image", {"image": picture})
    assert imaged.status_code == 200, imaged.content
    assert imaged.json()["image_url"].endswith(".png")  # transparency kept
    listed = client.get("/api/v1/recognition/badges").json()
    assert [found["name"] for found in listed] == ["Première voix"]

    outsider = client_for(persona.outsider)
    assert send(outsider, "patch", url, {"threshold": 3}).status_code == 404
    assert outsider.get("/api/v1/recognition/badges").json() == []


def test_an_ambassador_reads_their_badges_and_cannot_create_any(
    persona, client_for, program
) -> None:
    Badge.objects.create(
        organisation=persona.organisation,
        name="Première voix",
        criterion=Criterion.FIRST_PERSONAL_SHARE,
    )
    Badge.objects.create(
        organisation=persona.organisation,
        name="Dix partages",
        criterion=Criterion.SHARES_IN_90_DAYS,
        threshold=10,
    )
    ledger.earn(persona.ambassador, program, RuleKind.SHARE, key="share:1")
    ledger.earn(persona.ambassador, program, RuleKind.PERSONAL, key="personal:1")
    client = client_for(persona.ambassador)
    assert send(client, "post", "/api/v1/recognition/badges", BADGE).status_code == 403
    badge = Badge.objects.get(name="Première voix")
    url = f"/api/v1/recognition/badges/{badge.pk}"
    assert send(client, "patch", url, {"active": False}).status_code == 403
    assert client.post(f"{url}/image", {}).status_code in (403, 422)
    assert client.get("/api/v1/recognition/badges").status_code == 403
    mine = client.get("/api/v1/recognition/me/badges")
    assert mine.status_code == 200, mine.content
    body = mine.json()
    assert [earned["badge"]["name"] for earned in body["earned"]] == ["Première voix"]
    assert [(e["badge"]["name"], e["done"]) for e in body["to_earn"]] == [("Dix partages", 1)]
    assert body["show_badges"] is True
    hidden = send(client, "put", "/api/v1/recognition/me/badges/visibility", {"show_badges": False})
    assert hidden.status_code == 200 and hidden.json()["show_badges"] is False
    page = f"/recognition/people/{persona.ambassador.pk}/badges/"
    assert client_for(persona.employee).get(page).status_code == 404
    loose = send(client, "put", "/api/v1/recognition/me/badges/visibility", {"show_badges": "no"})
    assert loose.status_code == 422
