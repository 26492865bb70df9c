"""Filters, the small-group rule, the content, network and people dashboards, exports."""

from __future__ import annotations

import csv
import itertools
from datetime import timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ambassade.analytics import rollup
from ambassade.analytics.models import BrandAccount, MediaRate
from ambassade.analytics.people_groups import Group, merge_small
from ambassade.analytics.tables import sheet_title
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
from ambassade.content.models import Category, Channel
from ambassade.people.models import Department, Site
from ambassade.programs.models import AmbassadorType, Enrolment
from ambassade.sharing.models import TargetStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(persona, program, item):
    """Five people in Sales (Lyon), two in HR (Paris); Hugo (HR) shows his figures.

    Five more people in Marketing never shared: with them, Sales is not the whole
    program minus a group of two.
    """
    org = persona.organisation
    sales = Department.objects.create(organisation=org, name="Ventes")
    hr = Department.objects.create(organisation=org, name="RH")
    lyon = Site.objects.create(organisation=org, name="Lyon")
    paris = Site.objects.create(organisation=org, name="Paris")
    sellers = [member(program, department=sales, site=lyon) for _ in range(5)]
    marketing = Department.objects.create(organisation=org, name="Marketing")
    for _ in range(5):
        member(program, department=marketing, site=lyon)
    hugo = member(program, department=hr, site=paris, first_name="Hugo", last_name="Opted")
    nina = member(program, department=hr, site=paris, first_name="Nina", last_name="Private")
    Enrolment.objects.filter(person=hugo).update(individual_visibility=True)
    mission, _ = AmbassadorType.objects.get_or_create(organisation=org, kind="mission")
    Enrolment.objects.filter(person=nina).update(ambassador_type=mission)
    jobs = Channel.objects.create(organisation=org, name="Recrutement")
    promo = Category.objects.create(organisation=org, name="Offres", promotional=True)
    item.channels.add(jobs)
    item.category = promo
    item.save()
    other_item = make_item(program, "Notre engagement RSE")
    day = today() - timedelta(days=2)
    for n, person in enumerate(sellers):
        target = share(person, item, day, social=account(person, 100 * (n + 1), "linkedin"))
        clicks(link_for(target), day, human=10, unique=8)
    hugo_post = share(hugo, other_item, day, social=account(hugo, 500, "bluesky"), likes=7)
    clicks(link_for(hugo_post), day, human=4, unique=4)
    nina_post = share(nina, other_item, day, status=TargetStatus.DECLARED, network="x")
    nina_link = link_for(nina_post)
    clicks(nina_link, day, human=30, unique=25)
    convert(nina_link, day, "application", "200")
    # Forty days ago: the previous period of a 30-day range.
    old = share(sellers[0], item, today() - timedelta(days=40), social=account(sellers[0], 100))
    clicks(link_for(old), today() - timedelta(days=40), human=20, unique=20)
    rollup.rebuild()
    return {
        "sales": sales,
        "hr": hr,
        "lyon": lyon,
        "paris": paris,
        "hugo": hugo,
        "nina": nina,
        "mission": mission,
        "jobs": jobs,
        "sellers": sellers,
    }


def api(client, program, path="", **params):
    query = "&".join(f"{key}={value}" for key, value in {"days": 30, **params}.items())
    response = client.get(f"/api/v1/analytics/programs/{program.pk}{path}?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def test_a_department_filter_counts_only_its_people(persona, program, team, client_for) -> None:
    client = client_for(persona.marketer)
    body = api(client, program, department=team["sales"].pk)
    assert body["withheld"] is None
    assert body["trend"]["totals"]["shares"] == 5
    assert body["trend"]["totals"]["human_clicks"] == 50
    assert body["enrolled"] == 5 and body["active"] == 5
    everyone = api(client, program)
    assert everyone["trend"]["totals"]["shares"] == 7
    assert everyone["trend"]["totals"]["human_clicks"] == 84


def test_a_group_under_the_threshold_is_withheld_everywhere(
    persona, program, team, client_for
) -> None:
    client = client_for(persona.admin)
    for params in ({"department": team["hr"].pk}, {"site": team["paris"].pk}):
        body = api(client, program, **params)
        assert body["withheld"] == 2 and body["threshold"] == 5
        assert body["trend"]["rows"] == [] and body["trend"]["totals"]["shares"] == 0
        assert [t["key"] for t in body["tables"]] == ["targets"]
        for path in ("/content", "/networks", "/people"):
            breakdown = api(client, program, path, **params)
            assert breakdown["withheld"] == 2 and breakdown["tables"] == []
        query = "&".join(f"{k}={v}" for k, v in params.items())
        page = client.get(f"/console/analytics/programs/{program.pk}/?{query}").content.decode()
        assert "Figures withheld to protect individuals" in page
        assert "a group of 2 people" in page
        # What would unmask it, in one line.
        assert "Masked: fewer than 5 people; visible from 5." in page
        assert "once that group has 3 more people enrolled" in page


def test_nobody_who_did_not_opt_in_is_seen_through_any_filter(
    persona, program, team, client_for
) -> None:
    """Nina (HR, Paris, mission type, 30 clicks, one application) never opted in."""
    client = client_for(persona.admin)
    nina = team["nina"]
    choices = {
        "department": ["", team["sales"].pk, team["hr"].pk],
        "site": ["", team["lyon"].pk, team["paris"].pk],
        "type": ["", team["mission"].pk],
        "network": ["", "x", "linkedin"],
    }
    for values in itertools.product(*choices.values()):
        params = {k: v for k, v in zip(choices, values, strict=True) if v != ""}
        body = api(client, program, **params)
        people_filtered = {"department", "site", "type"} & set(params)
        totals = body["trend"]["totals"]
        if people_filtered and body["withheld"] is None:
            # A group large enough to show: Nina is in none of them.
            assert totals["conversions"] == 0, params
        for path in ("/people", "/content", "/networks"):
            breakdown = api(client, program, path, **params)
            assert nina.full_name not in str(breakdown), params
    assert (
        client.get(f"/console/analytics/programs/{program.pk}/people/{nina.pk}/").status_code == 404
    )
    assert (
        client.get(f"/api/v1/analytics/programs/{program.pk}/people/{nina.pk}").status_code == 404
    )
    hugo = team["hugo"]
    page = client.get(f"/console/analytics/programs/{program.pk}/people/{hugo.pk}/?days=30")
    assert page.status_code == 200 and "Hugo Opted" in page.content.decode()


def test_people_groups_merge_the_small_ones(persona, program, team, client_for) -> None:
    body = api(client_for(persona.hr), program, "/people")
    tables = {table["key"]: table for table in body["tables"]}
    departments = {row[0]: row for row in tables["departments"]["rows"]}
    # HR (2) is too small; "other" = HR alone would still be, so Marketing (5, first of the
    # smallest by name) joins it.
    assert list(departments) == ["Ventes", "Other groups"]
    assert departments["Other groups"][1] == 7
    assert departments["Ventes"][1:4] == [5, 5, 5]
    individuals = tables["individuals"]["rows"]
    assert [row[0] for row in individuals] == ["Hugo Opted"]
    assert individuals[0][4] == 4  # Hugo's human clicks


def test_merge_small_protects_the_remainder() -> None:
    groups = [
        Group(n, name, size, {"shares": size}, 0)
        for n, (name, size) in enumerate([("A", 12), ("B", 6), ("C", 3), ("D", 1)])
    ]
    merged = merge_small(groups, 5, "Other")
    assert [(g.label, g.size) for g in merged] == [("A", 12), ("Other", 10)]
    assert merged[-1].figures == {"shares": 10}
    assert [g.label for g in merge_small(groups[:2], 5, "Other")] == ["A", "B"]
    # C (3) alone is too small, so "other" takes B too.
    assert [(g.label, g.size) for g in merge_small(groups[:3], 5, "Other")] == [
        ("A", 12),
        ("Other", 9),
    ]


def test_period_over_period(persona, program, team, client_for) -> None:
    body = api(client_for(persona.marketer), program)
    assert body["previous"]["shares"] == 1 and body["previous"]["human_clicks"] == 20
    summary = next(t for t in body["tables"] if t["key"] == "summary")
    clicks_row = next(row for row in summary["rows"] if row[0] == "Human clicks")
    assert clicks_row[1:] == [84, 20, "320.0"]


def test_earned_media_value_and_amplification(persona, program, team, client_for) -> None:
    org = persona.organisation
    MediaRate.objects.create(
        organisation=org, network="linkedin", cost_per_click="2.00", cost_per_mille="10.00"
    )
    BrandAccount.objects.create(
        organisation=org,
        network="linkedin",
        handle="verdier",
        followers=750,
        measured_on=today(),
    )
    body = api(client_for(persona.marketer), program)
    values = {row["network"]: row for row in body["values"]}
    # LinkedIn: 50 human clicks × 2.00 (the organisation's rate), no impressions reported.
    assert values["linkedin"]["earned_media_value"] == "100.00"
    assert values["linkedin"]["default_rates"] is False
    # X (declared through a link): 30 clicks × 0.80 by default.
    assert values["x"]["earned_media_value"] == "24.00" and values["x"]["default_rates"]
    # Bluesky: 4 clicks × the 0.50 proxy rate.
    assert values["bluesky"]["earned_media_value"] == "2.00"
    assert body["earned_media_value"] == "126.00"
    # Sellers' LinkedIn audiences 100+…+500 = 1,500, plus Hugo's 500 on Bluesky; the
    # brand has 750 followers (LinkedIn only): 2,000 / 750.
    assert body["amplification"] == "2.7"
    assert values["linkedin"]["amplification"] == "2.0"
    networks = api(client_for(persona.marketer), program, "/networks")
    table = next(t for t in networks["tables"] if t["key"] == "networks")
    sources = {row[0]: row[11] for row in table["rows"]}
    assert sources["Bluesky"] == "Reported by Bluesky"
    assert sources["X"] == "Not available (shared through a link)"
    page = client_for(persona.marketer).get(
        f"/console/analytics/programs/{program.pk}/networks/?days=30"
    )
    assert "Earned media value = human clicks × cost per click" in page.content.decode()


def test_content_dashboard(persona, program, team, client_for) -> None:
    body = api(client_for(persona.comms), program, "/content")
    tables = {table["key"]: table for table in body["tables"]}
    items = {row[0]: row for row in tables["items"]["rows"]}
    assert items["Nous recrutons"][3:5] == ["Offres", "yes"]
    assert items["Nous recrutons"][6] == 50 and items["Notre engagement RSE"][6] == 34
    assert tables["channels"]["rows"][0][0] == "Recrutement"
    filtered = api(client_for(persona.comms), program, "/content", channel=team["jobs"].pk)
    rows = {t["key"]: t for t in filtered["tables"]}["items"]["rows"]
    assert [row[0] for row in rows] == ["Nous recrutons"]
    assert body["facts"]["published"] == 0  # both items were published 60 days ago


@pytest.mark.parametrize("path", ["", "content/", "networks/", "people/"])
def test_exports_match_the_api(persona, program, team, client_for, path) -> None:
    client = client_for(persona.marketer)
    api_path = "/" + path.rstrip("/") if path else ""
    body = api(client, program, api_path)
    page = f"/console/analytics/programs/{program.pk}/{path}?days=30"
    for table in body["tables"]:
        exported = client.get(f"{page}&export={table['key']}&format=csv")
        assert exported["Content-Type"].startswith("text/csv")
        lines = list(csv.reader(StringIO(exported.content.decode())))
        assert lines[0] == [column["label"] for column in table["columns"]]
        expected = [["" if v is None else str(v) for v in row] for row in table["rows"]]
        assert lines[1:] == expected, table["key"]
    workbook = client.get(f"{page}&export=all&format=xlsx")
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    about, *sheets = load_workbook(BytesIO(workbook.content), read_only=True).worksheets
    assert len(sheets) == len(body["tables"])
    assert ("Program", program.name) in list(about.iter_rows(values_only=True))
    used = {about.title.lower()}
    for sheet, table in zip(sheets, body["tables"], strict=True):
        assert sheet.title == sheet_title(table["title"], used)
        values = list(sheet.iter_rows(values_only=True))
        assert len(values) == 1 + len(table["rows"])
        for got, row in zip(values[1:], table["rows"], strict=True):
            for cell, want in zip(got, row, strict=True):
                if (
                    isinstance(cell, (int, float))
                    and want is not None
                    and not isinstance(cell, bool)
                ):
                    assert Decimal(str(cell)) == Decimal(str(want)), table["key"]


def test_exports_are_in_the_audit_log(persona, program, team, client_for) -> None:
    from ambassade.core.models import AuditEvent

    client_for(persona.admin).get(
        f"/console/analytics/programs/{program.pk}/people/?days=30&export=individuals&format=csv"
    )
    event = AuditEvent.objects.get(action="analytics.export")
    assert event.after == {"page": "people", "tables": ["individuals"], "format": "csv"}


def test_unknown_table_or_format_is_a_404(persona, program, team, client_for) -> None:
    client = client_for(persona.marketer)
    base = f"/console/analytics/programs/{program.pk}/"
    assert client.get(base + "?export=nope&format=csv").status_code == 404
    assert client.get(base + "?export=targets&format=pdf").status_code == 404


def test_the_page_shows_the_api_figures(persona, program, team, client_for) -> None:
    client = client_for(persona.marketer)
    page = client.get(f"/console/analytics/programs/{program.pk}/people/?days=30").content.decode()
    body = api(client, program, "/people")
    for table in body["tables"]:
        assert table["title"] in page
        for row in table["rows"]:
            assert str(row[0]) in page
    assert "Nina Private" not in page


@pytest.mark.parametrize("path", ["content/", "networks/", "people/"])
def test_breakdowns_make_a_constant_number_of_queries(
    persona, program, team, client_for, path
) -> None:
    client = client_for(persona.marketer)
    url = f"/console/analytics/programs/{program.pk}/{path}?days=365"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    extra = make_item(program, "Encore")
    for n in range(20):
        person = member(program, department=team["sales"])
        if n % 2:
            Enrolment.objects.filter(person=person).update(individual_visibility=True)
        target = share(person, extra, today() - timedelta(days=n), social=account(person, 10))
        clicks(link_for(target), today() - timedelta(days=n), human=2, unique=1)
    rollup.rebuild()
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
    assert not any("tracking_" in q["sql"] for q in after.captured_queries)


def test_an_opted_in_person_page_shows_their_influence(persona, program, team, client_for) -> None:
    hugo = team["hugo"]
    url = f"/console/analytics/programs/{program.pk}/people/{hugo.pk}/?days=30"
    page = client_for(persona.hr).get(url).content.decode()
    assert "Influence indicator" in page and "Engagement per post" in page
    assert "7.0 reactions per post, over 1 post" in page
    assert f"/console/contributions/people/{hugo.pk}/report/" in page  # HR: annual review
    marketer_page = client_for(persona.marketer).get(url).content.decode()
    assert "Influence indicator" in marketer_page
    assert "/report/" not in marketer_page


def test_every_figure_links_to_its_definition(persona, program, team, client_for) -> None:
    import re

    client = client_for(persona.marketer)
    definitions = client.get("/analytics/how-we-count/").content.decode()
    linked: set[str] = set()
    for path in ("", "content/", "networks/", "people/", f"people/{team['hugo'].pk}/"):
        page = client.get(f"/console/analytics/programs/{program.pk}/{path}?days=30")
        linked |= set(re.findall(r"/analytics/how-we-count/#([\w-]+)", page.content.decode()))
    assert {"earned-media-value", "amplification", "click-through", "influence"} <= linked
    missing = {anchor for anchor in linked if f'id="{anchor}"' not in definitions}
    assert missing == set()


def test_searching_among_the_people_who_opted_in(persona, program, team, client_for) -> None:
    client = client_for(persona.admin)

    def names(query: str) -> list[str]:
        body = api(client, program, "/people", q=query)
        table = next(t for t in body["tables"] if t["key"] == "individuals")
        return [row[0] for row in table["rows"]]

    assert names("hugo") == ["Hugo Opted"]
    assert names("Opted Hugo") == ["Hugo Opted"]
    assert names("Nina") == []  # she did not opt in: a search never finds her
    assert names("zzz") == []
    base = f"/console/analytics/programs/{program.pk}/people/?days=30&q=hugo"
    page = client.get(base).content.decode()
    assert 'name="q" value="hugo"' in page
    assert "&amp;q=hugo&amp;export=individuals&amp;format=csv" in page
    exported = client.get(base + "&export=individuals&format=csv").content.decode()
    assert "Hugo Opted" in exported and len(exported.strip().splitlines()) == 2


def test_a_french_workbook_names_its_sheets_and_says_what_produced_it(
    persona, program, team, client_for
) -> None:
    client = client_for(persona.marketer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    sales = Department.objects.get(organisation=persona.organisation, name="Ventes")
    query = f"days=30&network=linkedin&department={sales.pk}&export=all&format=xlsx"
    workbook = client.get(f"/console/analytics/programs/{program.pk}/?{query}")
    book = load_workbook(BytesIO(workbook.content), read_only=True)
    assert book.sheetnames[0] == "Filtres et période"
    assert all(len(name) <= 31 and "-" not in name for name in book.sheetnames)
    about = dict(book.worksheets[0].iter_rows(values_only=True))
    assert about["Programme"] == program.name
    assert about["Réseau"] == "LinkedIn"
    assert about["Service"] == "Ventes" and about["Site"] == "Tous"
    assert about["Période"].startswith("du ") and "(30 jours, UTC)" in about["Période"]
