"""The program dashboard, my figures and how we count: figures, CSV, API, query counts."""

from __future__ import annotations

import csv
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ambassade.analytics import rollup
from ambassade.analytics.participation import participation_over
from ambassade.analytics.tests.conftest import (
    account,
    clicks,
    convert,
    link_for,
    make_item,
    member,
    share,
    today,
)
from ambassade.programs.models import KpiTarget, Metric
from ambassade.sharing.models import TargetStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(persona, program, item):
    """Three members; two shared in the last 30 days, on two networks, with clicks."""
    alice, bob, _carol = member(program), member(program), member(program)
    day = today() - timedelta(days=3)
    first = share(alice, item, day, social=account(alice, 1000), likes=5, reposts=2, replies=1)
    clicks(link_for(first), day, human=40, unique=30)
    convert(first.tracked_link or link_for(first), day, "application", "120")
    second = share(bob, item, day - timedelta(days=1), status=TargetStatus.DECLARED)
    second_link = link_for(second)
    second.network = "facebook"
    second.save()
    second_link.network = "facebook"
    second_link.save()
    clicks(second_link, day, human=10, unique=8)
    # Outside the program's period and in another program: not counted here.
    share(alice, item, today() - timedelta(days=200), social=account(alice, 1000))
    start = today() - timedelta(days=29)
    for metric, target in [
        (Metric.SHARES, 4),
        (Metric.HUMAN_CLICKS, 100),
        (Metric.POTENTIAL_REACH, 2000),
        (Metric.PARTICIPATION_RATE, 50),
        (Metric.ENGAGEMENT, 16),
        (Metric.APPLICATIONS, 2),
    ]:
        KpiTarget.objects.create(
            program=program, metric=metric, target=target, period_start=start, period_end=today()
        )
    rollup.rebuild()
    return {"alice": alice, "bob": bob}


def _measured(program_id: int, client) -> dict[str, tuple[str, int]]:
    body = client.get(f"/api/v1/analytics/programs/{program_id}?days=30").json()
    return {row["metric"]: (row["measured"], row["progress"]) for row in body["targets"]}


def test_each_target_against_its_measure(persona, program, figures, client_for) -> None:
    measured = _measured(program.pk, client_for(persona.marketer))
    assert measured == {
        "shares": ("2", 50),
        "human_clicks": ("50", 50),
        "potential_reach": ("1000", 50),
        # 2 of the 3 enrolled people shared in the period.
        "participation_rate": ("66.7", 133),
        "engagement": ("8", 50),
        "applications": ("1", 50),
    }


def test_the_page_shows_the_same_figures_as_the_api(persona, program, figures, client_for) -> None:
    client = client_for(persona.marketer)
    page = client.get(f"/console/analytics/programs/{program.pk}/?days=30").content.decode()
    api = client.get(f"/api/v1/analytics/programs/{program.pk}?days=30").json()
    for target in api["targets"]:
        assert f'<progress max="100" value="{min(target["progress"], 100)}"' in page
    totals = api["trend"]["totals"]
    assert totals["shares"] == 2 and totals["human_clicks"] == 50
    assert totals["unique_visitors"] == 38 and totals["conversions"] == 1
    assert "Potential reach" in page  # labelled as potential, never as reach
    assert page.count("/analytics/how-we-count/#") >= 6
    assert "<svg" in page and "<title" in page and "Human clicks over time" in page
    assert "individual figures only for people who chose to show them" in page
    # Nobody's name: aggregates only.
    assert figures["alice"].full_name not in page and figures["bob"].full_name not in page
    # The CSV is the targets table of the page.
    export = client.get(
        f"/console/analytics/programs/{program.pk}/?days=30&export=targets&format=csv"
    )
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(StringIO(export.content.decode())))
    assert [(r[3], int(r[5])) for r in rows[1:]] == [
        (str(Decimal(t["measured"])), t["progress"]) for t in api["targets"]
    ]
    trend = client.get(f"/console/analytics/programs/{program.pk}/?days=30&export=trend&format=csv")
    lines = list(csv.reader(StringIO(trend.content.decode())))
    assert len(lines) == 1 + len(api["trend"]["rows"])
    assert sum(int(line[2]) for line in lines[1:]) == totals["shares"]


def test_network_filter(persona, program, figures, client_for) -> None:
    client = client_for(persona.marketer)
    body = client.get(f"/api/v1/analytics/programs/{program.pk}?days=30&network=facebook").json()
    assert body["networks"] == ["bluesky", "facebook"]
    assert body["trend"]["totals"]["shares"] == 1
    assert body["trend"]["totals"]["human_clicks"] == 10
    assert body["trend"]["totals"]["potential_reach"] == 0
    page = client.get(f"/console/analytics/programs/{program.pk}/?days=30&network=facebook")
    assert '<option value="facebook" selected>' in page.content.decode()


def test_the_dashboard_makes_a_constant_number_of_queries(
    persona, program, figures, client_for
) -> None:
    client = client_for(persona.marketer)
    url = f"/console/analytics/programs/{program.pk}/?days=365"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    # Ten times the data and more targets: the same queries.
    item = make_item(program, "Autre")
    people = [member(program) for _ in range(5)]
    for n in range(30):
        person = people[n % 5]
        target = share(person, item, today() - timedelta(days=n), social=account(person, 10))
        clicks(link_for(target), today() - timedelta(days=n), human=3, unique=2)
    for metric in (Metric.CONVERSIONS, Metric.UNIQUE_VISITORS, Metric.MONTHLY_ACTIVE_RATE):
        KpiTarget.objects.create(
            program=program,
            metric=metric,
            target=10,
            period_start=today() - timedelta(days=300),
            period_end=today(),
        )
    rollup.rebuild()
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
    # Session and actor (4), two-factor policy, program, filter choices (4), settings,
    # targets, daily rows, active people and people enrolled in their periods (2 × 2),
    # networks, rates, brand accounts, value per network; the bell's unread count; the
    # Slack and Teams tab's question: does the reader own the program.
    assert len(after) <= 23
    assert not any(
        "tracking_" in q["sql"] or "sharing_" in q["sql"] for q in after.captured_queries
    )


def test_my_figures_page_and_api_agree(persona, program, figures, client_for) -> None:
    alice = figures["alice"]
    alice.user = None
    from ambassade.testing.factories import UserFactory

    user = UserFactory(email="alice@example.com")
    alice.user = user
    alice.save()
    client = client_for(alice)
    body = client.get("/api/v1/analytics/me?days=30").json()
    assert body["trend"]["totals"]["shares"] == 1
    assert body["trend"]["totals"]["human_clicks"] == 40
    assert body["best_posts"][0]["human_clicks"] == 40
    # Three enrolled: too few for a median that would not expose colleagues.
    assert body["comparisons"][0]["median"] is None
    page = client.get("/me/figures/?days=30").content.decode()
    assert "Too few people are enrolled" in page
    assert figures["bob"].full_name not in page
    assert "Nous recrutons" in page
    for _ in range(3):
        member(program)  # six enrolled now
    body = client.get("/api/v1/analytics/me?days=30").json()
    comparison = body["comparisons"][0]
    assert comparison["people"] == 6
    # Alice 1 share, Bob 1, four with none: the median is 0.
    assert comparison["mine"]["shares"] == 1 and comparison["median"]["shares"] == 0
    assert comparison["mine"]["human_clicks"] == 40
    # The influence indicator, the same as on the page: 5+2+1 reactions on one post.
    (indicator,) = body["influence"]
    parts = {part["key"]: part for part in indicator["parts"]}
    assert parts["engagement_per_post"]["value"] == 8.0
    assert indicator["overall"] == round(sum(p["score"] for p in parts.values()) / 5)
    page = client.get("/me/figures/?days=30").content.decode()
    assert "Program median" in page
    assert parts["engagement_per_post"]["display"] in page
    assert figures["bob"].full_name not in page


def test_my_figures_is_in_the_ambassador_navigation(persona, client_for) -> None:
    page = client_for(persona.ambassador).get("/me/figures/").content.decode()
    assert 'href="/me/figures/" aria-current="page"' in page
    assert "You are not enrolled in a program." in page


def test_how_we_count_defines_every_figure(persona, client_for) -> None:
    page = client_for(persona.employee).get("/analytics/how-we-count/").content.decode()
    for anchor in (
        "shares",
        "human-clicks",
        "unique-visitors",
        "potential-reach",
        "engagement",
        "participation-rate",
        "monthly-active-rate",
        "conversions",
        "applications",
    ):
        assert f'id="{anchor}"' in page


def test_my_daily_figures_are_in_my_personal_data(persona, program, figures) -> None:
    from ambassade.core.personal_data import collect

    exported = collect(figures["alice"])["daily_figures"]
    assert sum(row["human_clicks"] for row in exported) == 40
    assert sum(row["shares_published"] for row in exported) == 2


def test_chart_coordinates_keep_a_decimal_point_in_french() -> None:
    """French formats 56.5 as 56,5; inside SVG attributes that would break the chart."""
    import re
    from datetime import date

    from django.template.loader import render_to_string
    from django.utils import translation

    from ambassade.analytics.charts import line_chart
    from ambassade.analytics.figures import Trend, TrendRow

    rows = [
        TrendRow(start=date(2026, 11, 2), end=date(2026, 11, 8), figures={"shares": 3}),
        TrendRow(start=date(2026, 11, 9), end=date(2026, 11, 15), figures={"shares": 1}),
    ]
    trend = Trend(start=date(2026, 11, 2), end=date(2026, 11, 15), rows=rows)
    chart = line_chart("t", "Shares", "Week", "Shares", trend, "shares")
    with translation.override("fr"):
        svg = render_to_string("analytics/_chart.html", {"chart": chart})
    assert not re.search(r'(x|y|cx|cy|x1|x2|y1|y2)="\d+,\d', svg)
    assert re.search(r'points="[\d.]+,[\d.]+ [\d.]+,[\d.]+"', svg)


def test_participation_over_periods_is_the_dashboards_rate(persona, program, figures) -> None:
    start = today() - timedelta(days=29)
    long_ago = (today() - timedelta(days=400), today() - timedelta(days=300))
    during, before = participation_over(program, [(start, today()), long_ago])
    # The dashboard's 66.7 %: 2 of the 3 enrolled people shared in the period.
    assert (during.active, during.enrolled, str(during.rate)) == (2, 3, "66.7")
    assert before.active == 0 and str(before.rate) == "0"
