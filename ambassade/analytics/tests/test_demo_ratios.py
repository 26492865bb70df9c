"""The demo organisation's dashboards: no share of a population above 100 %.

The demo's ambassadors share items of programs they are not enrolled in (the feed shows
them), which once made "Lancement Verdier Flow" show 19 active people of 3 enrolled.
"""

from __future__ import annotations

import re
from datetime import UTC
from decimal import Decimal

import pytest
from django.utils import timezone

from ambassade.analytics.selection import DEFAULT_RANGE, RANGES
from ambassade.core import demo
from ambassade.people.models import Department, Person
from ambassade.programs.models import Program

pytestmark = pytest.mark.django_db

BOUNDED = re.compile(r'data-bounded-rate="([0-9.]+)"')


@pytest.fixture
def demo_organisation():
    today = timezone.now().astimezone(UTC).date()
    context = demo.build(people=120, days=60, seed=7, today=today, progress=lambda _: None)
    return context.objects["organisation"]


def _bounded_rates(page: str) -> list[Decimal]:
    return [Decimal(value) for value in BOUNDED.findall(page)]


def test_no_dashboard_of_the_demo_shows_a_ratio_above_100(demo_organisation, client_for) -> None:
    marketer = Person.objects.get(email="marketing@verdier.example")
    client = client_for(marketer)
    departments = list(
        Department.objects.filter(organisation=demo_organisation).values_list("pk", flat=True)
    )
    programs = list(Program.objects.filter(organisation=demo_organisation))
    assert len(programs) == 3
    seen = 0
    for program in programs:
        for days in RANGES:
            # Every group filter over the default range; the other ranges unfiltered.
            for department in ["", *departments] if days == DEFAULT_RANGE else [""]:
                query = f"days={days}" + (f"&department={department}" if department else "")
                page = client.get(f"/console/analytics/programs/{program.pk}/?{query}")
                assert page.status_code == 200
                rates = _bounded_rates(page.content.decode())
                assert all(rate <= 100 for rate in rates), (program.name, query, rates)
                seen += len(rates)
                body = client.get(f"/api/v1/analytics/programs/{program.pk}?{query}").json()
                assert body["active"] <= body["enrolled"], (program.name, query)
                assert Decimal(body["participation_rate"]) <= 100
                for target in body["targets"]:
                    if target["metric"] in ("participation_rate", "monthly_active_rate"):
                        assert Decimal(target["measured"]) <= 100, (program.name, target)
            people = client.get(f"/api/v1/analytics/programs/{program.pk}/people?days={days}")
            for table in people.json()["tables"]:
                keys = [column["key"] for column in table["columns"]]
                if "active" in keys and "people" in keys:
                    for row in table["rows"]:
                        assert row[keys.index("active")] <= row[keys.index("people")], row
    # The walk read the participation tile and the rate targets, not an empty page.
    assert seen > len(programs) * len(RANGES)

    # The program of few members whose items everyone shares: the case that went wrong.
    launch = Program.objects.get(organisation=demo_organisation, name="Lancement Verdier Flow")
    body = client.get(f"/api/v1/analytics/programs/{launch.pk}?days=90").json()
    assert body["enrolled"] <= launch.enrolments.count()
    assert body["trend"]["totals"]["shares"] > 0
    assert 0 <= body["active"] <= body["enrolled"]
