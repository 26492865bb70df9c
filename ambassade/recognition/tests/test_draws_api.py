"""/api/v1/recognition/draws: created, published, entered, drawn and verified through
HTTP, the errors in the API's one format, persona by persona."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from ambassade.recognition import draws
from ambassade.recognition.models import Draw, DrawEntry, DrawResult, Profile
from ambassade.recognition.tests.draws_helpers import earned, published

pytestmark = pytest.mark.django_db
API = "/api/v1/recognition"


def send(client: Any, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(f"{API}{path}", data, content_type="application/json")


def test_a_draw_is_created_published_and_entered(persona, enrolled, client_for) -> None:
    marketer = client_for(persona.marketer)
    today = draws.today()
    bad = send(
        marketer,
        "post",
        "/draws",
        {"name": "Vélo", "prize": "Un vélo", "opens_on": str(today), "closes_on": "2000-01-01"},
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"] == [
        {"field": "closes_on", "message": "The end comes before the start."}
    ]
    body = {"name": "Vélo", "prize": "Un vélo", "opens_on": str(today), "closes_on": str(today)}
    created = send(marketer, "post", "/draws", {**body, "winners": 2, "cap": 100})
    assert created.status_code == 201, created.content
    draw_id = created.json()["id"]
    assert created.json()["seed_hash"] == "" and created.json()["status"] == "draft"

    ambassador = client_for(enrolled)
    assert [d["id"] for d in ambassador.get(f"{API}/draws").json()] == []  # a draft is hidden
    assert send(ambassador, "post", f"/draws/{draw_id}/entry").status_code == 404
    assert send(ambassador, "post", f"/draws/{draw_id}/publish").status_code == 403
    changed = send(marketer, "patch", f"/draws/{draw_id}", {"cap": None, "winners": 3})
    assert changed.json()["cap"] is None and changed.json()["winners"] == 3
    shown = send(marketer, "post", f"/draws/{draw_id}/publish").json()
    assert len(shown["seed_hash"]) == 64 and shown["seed"] == ""
    again = send(marketer, "patch", f"/draws/{draw_id}", {"rules": "Autres"})
    assert again.status_code == 422

    entered = send(ambassador, "post", f"/draws/{draw_id}/entry")
    assert entered.status_code == 200 and entered.json()["entered"] is True
    twice = send(ambassador, "post", f"/draws/{draw_id}/entry")
    assert twice.json()["error"]["message"] == "You have already entered this draw."
    early = send(marketer, "post", f"/draws/{draw_id}/draw")
    assert early.status_code == 422
    assert "only take place after it closes" in early.json()["error"]["message"]
    assert send(ambassador, "post", f"/draws/{draw_id}/draw").status_code == 403
    left = send(ambassador, "delete", f"/draws/{draw_id}/entry")
    assert left.status_code == 200 and left.json()["entered"] is False
    not_yet = ambassador.get(f"{API}/draws/{draw_id}/verification")
    assert not_yet.status_code == 422


def test_the_verification_names_only_those_shown_on_boards(persona, enrolled, client_for) -> None:
    draw = published(persona.organisation, days_ago=1, winners=1)
    others = [persona.employee, persona.sales]
    for number, person in enumerate([enrolled, *others]):
        earned(person, 10 * (number + 1), draw.opens_on)
        DrawEntry.objects.create(draw=draw, person=person)
    Profile.objects.update_or_create(person=enrolled, defaults={"on_boards": True})
    drawn = send(client_for(persona.hr), "post", f"/draws/{draw.pk}/draw")
    assert drawn.status_code == 200, drawn.content
    assert drawn.json()["seed"] == Draw.objects.get(pk=draw.pk).secret

    answer = client_for(persona.employee).get(f"{API}/draws/{draw.pk}/verification").json()
    assert answer["seed_matches_hash"] and answer["winners_match"]
    labels = {line["label"]: line["weight"] for line in answer["entrants"]}
    assert labels[str(enrolled)] == 10
    assert sorted(w for label, w in labels.items() if label.startswith("Participant #")) == [
        20,
        30,
    ]
    assert str(persona.employee) not in json.dumps(answer)
    winner = DrawResult.objects.get(draw=draw, position=1)
    loser = DrawResult.objects.filter(draw=draw, position__isnull=True).first()
    assert loser is not None
    DrawResult.objects.filter(pk=winner.pk).update(position=None)
    DrawResult.objects.filter(pk=loser.pk).update(position=1)  # a record altered afterwards
    tampered = client_for(persona.employee).get(f"{API}/draws/{draw.pk}/verification").json()
    assert tampered["seed_matches_hash"] and not tampered["winners_match"]


def test_another_organisation_gets_404(persona, client_for) -> None:
    draw = published(persona.organisation, days_ago=1)
    outsider = client_for(persona.outsider)
    assert outsider.get(f"{API}/draws").json() == []
    for method, path in [
        ("post", f"/draws/{draw.pk}/draw"),
        ("post", f"/draws/{draw.pk}/cancel"),
        ("patch", f"/draws/{draw.pk}"),
        ("post", f"/draws/{draw.pk}/entry"),
        ("get", f"/draws/{draw.pk}/verification"),
    ]:
        answer = send(outsider, method, path, {} if method == "patch" else None)
        assert answer.status_code == 404, (method, path)
    cancelled = send(client_for(persona.admin), "post", f"/draws/{draw.pk}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert draws.today() - timedelta(days=1) == draw.closes_on
