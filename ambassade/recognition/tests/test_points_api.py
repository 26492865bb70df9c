"""The points API: my balances and entries (the same as my page says), and a program's
rules, changed all or none, refused in the one error format when wrong."""

from __future__ import annotations

import json
import re

import pytest

from ambassade.core.models import AuditEvent
from ambassade.recognition import ledger
from ambassade.recognition.models import RuleKind
from ambassade.recognition.tests.test_points_pages import earned  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _put(client, path: str, body) -> object:
    return client.put(path, json.dumps(body), content_type="application/json")


def test_my_points_are_the_same_as_my_page(earned, client_for) -> None:  # noqa: F811
    client = client_for(earned)
    body = client.get("/api/v1/recognition/me/points", HTTP_ACCEPT_LANGUAGE="fr").json()
    page = client.get("/me/recognition/").content.decode()
    shown = [int(figure) for figure in re.findall(r"<dd>(-?\d+)</dd>", page)]
    assert shown == [body["balances"]["lifetime"], body["balances"]["spendable"]]
    assert body["balances"] == vars(ledger.balances(earned))
    assert body["count"] == 3 and body["pages"] == 1 and body["next_page"] is None
    reasons = {item["reason"]: item for item in body["items"]}
    assert set(reasons) == {"share", "clicks", "correction"}
    assert reasons["clicks"]["reason_name"] == "Clics humains"
    assert reasons["clicks"]["clicks"] == 20 and reasons["clicks"]["points"] == 10
    assert reasons["correction"]["note"] == "Clics d'un script le 3 mars"
    assert reasons["correction"]["corrects_id"] == reasons["clicks"]["id"]
    assert "Le secret de Marc" not in json.dumps(body)
    second = client.get("/api/v1/recognition/me/points?page=2&page_size=2").json()
    assert (second["count"], second["page"], len(second["items"])) == (3, 2, 1)


def _rules(program) -> str:
    return f"/api/v1/recognition/programs/{program.pk}/rules"


def test_a_manager_reads_and_changes_the_rules(persona, program, client_for) -> None:
    client = client_for(persona.comms)
    rules = client.get(_rules(program)).json()
    assert [rule["kind"] for rule in rules] == list(RuleKind.values)
    changed = _put(
        client,
        _rules(program),
        {
            "rules": [
                {"kind": "module", "points": 40, "daily_cap": None, "enabled": True},
                {"kind": "clicks", "points": 3, "daily_cap": 20, "milestone": 50},
            ]
        },
    )
    assert changed.status_code == 200, changed.content
    by_kind = {rule["kind"]: rule for rule in changed.json()}
    assert (by_kind["module"]["points"], by_kind["module"]["daily_cap"]) == (40, None)
    assert (by_kind["clicks"]["milestone"], by_kind["clicks"]["daily_cap"]) == (50, 20)
    assert AuditEvent.objects.filter(action="recognition.rule_updated").count() == 2


def test_wrong_rules_are_refused_all_or_none(persona, program, client_for) -> None:
    client = client_for(persona.marketer)
    answer = _put(
        client,
        _rules(program),
        {
            "rules": [
                {"kind": "share", "points": 30},
                {"kind": "module", "points": -5},
            ]
        },
    )
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"].startswith("Points cannot be negative")
    assert error["details"][0]["field"] == "rules.1.points"
    assert ledger.rules_of(program)["share"].points == 10  # none changed
    for wrong, field in (
        ({"kind": "share", "points": 5, "milestone": 10}, "milestone"),
        ({"kind": "clicks", "points": 5, "milestone": 0}, "milestone"),
        ({"kind": "share", "points": 5, "daily_cap": 5000}, "daily_cap"),
        ({"kind": "share", "points": 20_000}, "points"),
        ({"kind": "badges", "points": 5}, "kind"),
    ):
        answer = _put(client, _rules(program), {"rules": [wrong]})
        assert answer.status_code == 422, wrong
        assert answer.json()["error"]["details"][0]["field"] == f"rules.0.{field}"
    assert _put(client, _rules(program), {"rules": [{"kind": "share"}]}).status_code == 422
    assert not AuditEvent.objects.filter(action="recognition.rule_updated").exists()


def test_who_may_read_and_change_the_rules(persona, program, client_for) -> None:
    change = {"rules": [{"kind": "share", "points": 50}]}
    ambassador = client_for(persona.ambassador)
    assert ambassador.get(_rules(program)).status_code == 403
    assert _put(ambassador, _rules(program), change).status_code == 403
    sales = client_for(persona.sales)
    assert sales.get(_rules(program)).status_code == 200
    assert _put(sales, _rules(program), change).status_code == 403
    outsider = client_for(persona.outsider)
    assert outsider.get(_rules(program)).status_code == 404
    assert _put(outsider, _rules(program), change).status_code == 404
    assert ledger.rules_of(program)["share"].points == 10
