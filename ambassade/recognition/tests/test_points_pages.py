"""My points: my balances and my entries with their reason, in my language, and nobody
else's. The console's rules of a program: changed by those who manage recognition,
refused with a clear word when wrong, never a server error."""

from __future__ import annotations

import pytest

from ambassade.core.models import AuditEvent
from ambassade.recognition import ledger
from ambassade.recognition.models import LedgerEntry, PointRule, RuleKind
from ambassade.sharing.tests.conftest import as_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def earned(persona, enrolled, program):
    """A share, a clicks milestone and a correction for the ambassador; a share for the
    marketer, on an item whose title only they have."""
    ledger.earn(
        enrolled,
        program,
        RuleKind.SHARE,
        key="share:test:1",
        detail={"item": "Nous recrutons à Lyon", "network": "linkedin"},
    )
    clicks = ledger.earn(
        enrolled,
        program,
        RuleKind.CLICKS,
        key="clicks:test:20",
        detail={"item": "Nous recrutons à Lyon", "network": "linkedin", "clicks": 20},
        times=2,
    )
    ledger.correct(
        as_actor(persona.hr), enrolled, -5, "Clics d'un script le 3 mars", corrects=clicks
    )
    ledger.earn(
        persona.marketer,
        program,
        RuleKind.SHARE,
        key="share:test:2",
        detail={"item": "Le secret de Marc", "network": "bluesky"},
    )
    return enrolled


def test_my_points_lists_my_reasons_in_french_and_nobody_elses(earned, client_for) -> None:
    page = client_for(earned).get("/me/recognition/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Mes points" in page
    assert "Clics humains" in page and "Correction" in page and ">Partage<" in page
    assert "20 clics humains" in page
    assert "Clics d&#x27;un script le 3 mars" in page
    assert "Nous recrutons à Lyon" in page and "LinkedIn" in page
    assert "Le secret de Marc" not in page and "Bluesky" not in page
    balances = ledger.balances(earned)
    assert balances == ledger.Balances(15, 15)  # 10 + 2 × 5 − 5
    assert f"<dd>{balances.lifetime}</dd>" in page


def test_my_points_are_paginated(persona, enrolled, program, client_for) -> None:
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            organisation=persona.organisation,
            person=enrolled,
            program=program,
            reason="share",
            points=1,
            spendable=1,
            key=f"share:many:{number}",
        )
        for number in range(55)
    )
    client = client_for(enrolled)
    first = client.get("/me/recognition/").content.decode()
    second = client.get("/me/recognition/?page=2").content.decode()
    assert first.count("<tr>") - 1 == 50  # the head's row, then 50 entries
    assert second.count("<tr>") - 1 == 5
    assert 'rel="next"' in first


def _rules(program) -> str:
    return f"/console/recognition/programs/{program.pk}/rules/"


def test_a_manager_changes_a_rule_and_it_is_audited(persona, program, client_for) -> None:
    client = client_for(persona.marketer)
    assert client.get(_rules(program)).status_code == 200
    answer = client.post(
        _rules(program),
        {"rule": "clicks", "clicks-points": "7", "clicks-daily_cap": "", "clicks-milestone": "25"},
    )
    assert answer.status_code == 302
    rule = PointRule.objects.get(program=program, kind="clicks")
    assert (rule.points, rule.daily_cap, rule.milestone, rule.enabled) == (7, None, 25, False)
    audit = AuditEvent.objects.get(action="recognition.rule_updated")
    assert audit.after["point_rule"] == "clicks" and audit.after["points"] == 7
    page = client.get("/console/recognition/").content.decode()
    assert _rules(program) in page


def test_negative_points_are_refused_with_the_reason(persona, program, client_for) -> None:
    client = client_for(persona.hr)
    answer = client.post(
        _rules(program),
        {"rule": "share", "share-points": "-5", "share-daily_cap": "0", "share-enabled": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "Points cannot be negative" in page
    assert "Leave the daily cap empty for none" in page
    assert PointRule.objects.get(program=program, kind="share").points == 10
    assert not AuditEvent.objects.filter(action="recognition.rule_updated").exists()


def test_who_may_see_and_change_the_rules(persona, program, client_for) -> None:
    change = {"rule": "share", "share-points": "50", "share-enabled": "on"}
    assert client_for(persona.ambassador).get(_rules(program)).status_code == 403
    assert client_for(persona.ambassador).post(_rules(program), change).status_code == 403
    sales = client_for(persona.sales)
    page = sales.get(_rules(program)).content.decode()
    assert 'name="rule"' not in page
    assert sales.post(_rules(program), change).status_code == 403
    assert client_for(persona.outsider).get(_rules(program)).status_code == 404
    assert client_for(persona.outsider).post(_rules(program), change).status_code == 404
    assert PointRule.objects.get(program=program, kind="share").points == 10


def test_my_points_are_in_my_space(persona, client_for) -> None:
    page = client_for(persona.employee).get("/me/").content.decode()
    assert "/me/recognition/" in page
