"""The admins' pages and the API operations on links: access, figures, constant queries."""

from __future__ import annotations

import pytest

from ambassade.core.models import AuditEvent
from ambassade.tracking.actions import report_conversion
from ambassade.tracking.models import DailyLinkStats, TrackingSettings
from ambassade.tracking.visitors import utc_today

pytestmark = pytest.mark.django_db


def test_the_links_page_lists_links_with_their_figures(persona, client_for, make_link) -> None:
    link = make_link()
    DailyLinkStats.objects.create(
        link=link, day=utc_today(), human_clicks=12, unique_visitors=9, previews=3
    )
    for key in ("a", "b"):  # conversions must not multiply the counters
        report_conversion(
            organisation=persona.organisation, reference=link.code, kind="lead", idempotency_key=key
        )
    page = client_for(persona.admin).get("/console/links/")
    assert page.status_code == 200
    text = page.content.decode()
    assert f"/r/{link.code}" in text and ">12<" in text and ">9<" in text and ">2<" in text


def test_the_links_page_reads_a_constant_number_of_queries(
    persona, client_for, make_link, django_assert_max_num_queries
) -> None:
    client = client_for(persona.admin)
    make_link()
    client.get("/console/links/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/console/links/")
    for _ in range(12):
        link = make_link()
        DailyLinkStats.objects.create(link=link, day=utc_today(), human_clicks=1)
    with CaptureQueriesContext(connection) as many:
        client.get("/console/links/")
    assert len(many) == len(few)


def test_settings_are_saved_checked_and_audited(persona, client_for, make_link) -> None:
    client = client_for(persona.admin)
    assert client.get("/console/links/settings/").status_code == 200
    form = {
        "base_url": "https://go.acme.example",
        "utm_source": "{network}",
        "utm_medium": "employee",
        "utm_campaign": "{campaign}",
        "utm_content": "{item}",
        "attribution_parameter": "amb_ref",
        "withdrawn_response": "gone",
        "fallback_url": "",
    }
    assert client.post("/console/links/settings/", form).status_code == 302
    options = TrackingSettings.objects.get(organisation=persona.organisation)
    assert (options.utm_medium, options.attribution_parameter) == ("employee", "amb_ref")
    assert AuditEvent.objects.filter(action="tracking.settings_changed").exists()
    link = make_link()
    assert "utm_medium=employee" in link.destination
    bad = client.post(
        "/console/links/settings/",
        {**form, "utm_source": "{password}", "withdrawn_response": "fallback"},
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "Use only these placeholders" in text
    assert "fallback page" in text


def test_the_api_lists_links_and_daily_counters(persona, client_for, make_link) -> None:
    link = make_link()
    DailyLinkStats.objects.create(link=link, day=utc_today(), human_clicks=5, unique_visitors=4)
    client = client_for(persona.marketer)
    listing = client.get("/api/v1/links").json()
    assert listing["count"] == 1
    item = listing["items"][0]
    assert (item["code"], item["human_clicks_30_days"], item["unique_visitors_30_days"]) == (
        link.code,
        5,
        4,
    )
    assert item["short_url"].endswith(f"/r/{link.code}")
    daily = client.get(f"/api/v1/links/{link.pk}/stats").json()
    assert daily[0]["human_clicks"] == 5
    assert client_for(persona.outsider).get(f"/api/v1/links/{link.pk}/stats").status_code == 404
    assert client_for(persona.ambassador).get(f"/api/v1/links/{link.pk}/stats").status_code == 403


def test_the_api_list_reads_a_constant_number_of_queries(persona, client_for, make_link) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(persona.admin)
    make_link()
    client.get("/api/v1/links")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/links")
    for _ in range(10):
        make_link()
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/links").json()["count"] == 11
    assert len(many) == len(few)


def test_a_sharers_links_are_in_their_data_export(persona, make_link) -> None:
    from ambassade.core.personal_data import collect

    link = make_link(person=persona.ambassador)
    DailyLinkStats.objects.create(link=link, day=utc_today(), human_clicks=7)
    exported = collect(persona.ambassador)["tracked_links"]
    assert [(row["code"], row["human_clicks"]) for row in exported] == [(link.code, 7)]
