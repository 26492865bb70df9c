"""The short link through HTTP: redirects, previews, flags, orphans, withdrawals, queries."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import caches
from django.test import Client

from ambassade.tracking import actions, codes, visitors
from ambassade.tracking.models import (
    Click,
    DailyLinkStats,
    OrphanVisit,
    TrackedLink,
    TrackingSettings,
)
from ambassade.tracking.tests.conftest import BROWSER, ingest_all

pytestmark = pytest.mark.django_db


def visit(client: Client, link: TrackedLink, method: str = "get", **headers):
    headers.setdefault("HTTP_USER_AGENT", BROWSER)
    headers.setdefault("REMOTE_ADDR", "203.0.113.7")
    return getattr(client, method)(f"/r/{link.code}", **headers)


def stats(link: TrackedLink) -> DailyLinkStats:
    return DailyLinkStats.objects.get(link=link)


def test_codes_are_random_long_enough_and_well_formed(make_link) -> None:
    seen = {make_link().code for _ in range(20)}
    assert len(seen) == 20
    for code in seen:
        assert len(code) >= 7 and set(code) <= set(codes.ALPHABET)
    assert not codes.is_well_formed("abc")  # too short
    assert not codes.is_well_formed("abcdéfgh")
    assert not codes.is_well_formed("abcd١٢٣٤")  # Unicode digits


def test_a_collision_draws_another_code(make_link, monkeypatch) -> None:
    first = make_link()
    draws = iter([first.code, "Zz9Zz9Zz"])
    monkeypatch.setattr(codes, "new_code", lambda: next(draws))
    assert make_link().code == "Zz9Zz9Zz"


def test_a_link_redirects_with_utm_parameters_and_keeps_its_own(make_link, browser) -> None:
    link = make_link()
    response = visit(browser(), link)
    assert response.status_code == 302  # never 301
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc, location.path) == (
        "https",
        "careers.example.com",
        "/jobs/42",
    )
    assert location.fragment == "apply"
    assert parse_qsl(location.query) == [
        ("ref", "board"),
        ("lang", "fr"),
        ("utm_source", "linkedin"),
        ("utm_medium", "ambassador"),
        ("utm_campaign", "spring-hiring"),
        ("utm_content", "42"),
    ]
    assert response["Cache-Control"].startswith("private, no-store")


def test_templates_and_the_attribution_parameter_come_from_the_settings(
    persona, make_link, browser
) -> None:
    TrackingSettings.objects.create(
        organisation=persona.organisation,
        utm_source="amb-{network}",
        utm_medium="",
        utm_campaign="{organisation}",
        attribution_parameter="amb_ref",
    )
    link = make_link(url="https://example.com/post?utm_source=newsletter&x=1")
    query = parse_qsl(urlsplit(visit(browser(), link)["Location"]).query)
    assert query == [
        ("x", "1"),
        ("utm_source", "amb-linkedin"),
        ("utm_campaign", "acme"),
        ("utm_content", "42"),
        ("amb_ref", link.code),
    ]


def test_nothing_in_the_request_changes_the_destination(make_link, browser) -> None:
    link = make_link()
    client = browser()
    expected = visit(client, link)["Location"]
    for path in (
        f"/r/{link.code}?next=https://evil.example",
        f"/r/{link.code}?url=//evil.example",
    ):
        response = client.get(path, HTTP_USER_AGENT=BROWSER, HTTP_HOST="127.0.0.1")
        assert response["Location"] == expected


def test_a_human_click_counts_once_per_visitor_per_day(make_link, browser) -> None:
    link = make_link()
    client = browser()
    visit(client, link)
    visit(client, link)  # same address and browser, same day
    visit(client, link, REMOTE_ADDR="198.51.100.9")
    ingest_all()
    counters = stats(link)
    assert (counters.human_clicks, counters.unique_visitors) == (3, 2)
    clicks = list(Click.objects.filter(link=link))
    assert len({click.visitor for click in clicks}) == 2
    click = clicks[0]
    assert (click.device, click.browser, click.network) == ("desktop", "Chrome", "linkedin")
    # No address anywhere in what is stored.
    for click in clicks:
        assert "203.0.113.7" not in str(click.__dict__)


def test_another_days_salt_gives_another_hash(make_link, monkeypatch, browser) -> None:
    link = make_link()
    visit(browser(), link)
    monkeypatch.setattr(visitors, "utc_today", lambda: date(2030, 1, 2))
    visit(browser(), link)
    ingest_all()
    first, second = Click.objects.filter(link=link).order_by("id")
    assert first.visitor != second.visitor
    salt_one = visitors.salt_for(date(2030, 1, 1))
    salt_two = visitors.salt_for(date(2030, 1, 2))
    assert salt_one != salt_two
    assert visitors.visitor_hash(salt_one, "1.2.3.4", "ua", 1) != visitors.visitor_hash(
        salt_two, "1.2.3.4", "ua", 1
    )


def test_yesterdays_salt_is_deleted(make_link) -> None:
    from ambassade.tracking.models import VisitorSalt
    from ambassade.tracking.tasks import rotate_salts

    VisitorSalt.objects.create(day=date(2020, 1, 1), salt="x" * 64)
    visitors.salt_for(visitors.utc_today())
    rotate_salts.call()
    today = visitors.utc_today()
    days = list(VisitorSalt.objects.order_by("day").values_list("day", flat=True))
    assert days == [today, today + timedelta(days=1)]  # tomorrow's is ready ahead of need


@pytest.mark.parametrize(
    "agent",
    [
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        "Twitterbot/1.0",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        "TelegramBot (like TwitterBot)",
        "WhatsApp/2.23.20.0 A",
        "http.rb/5.1.1 (Mastodon/4.2.10; +https://mastodon.social/) Bot",
        "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)",
    ],
)
def test_preview_crawlers_get_the_card_and_count_as_previews(make_link, agent, browser) -> None:
    link = make_link()
    response = visit(browser(), link, HTTP_USER_AGENT=agent)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<meta property="og:title" content="Join us as a welder">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert 'content="https://careers.example.com/welder.jpg"' in page
    assert '<meta property="og:site_name" content="Acme Careers">' in page
    ingest_all()
    counters = stats(link)
    assert (counters.previews, counters.human_clicks, counters.bots) == (1, 0, 0)


def test_the_preview_card_escapes_what_it_copies(make_link, browser) -> None:
    link = make_link(preview={"title": '"><script>alert(1)</script>'})
    page = visit(browser(), link, HTTP_USER_AGENT="Twitterbot/1.0").content.decode()
    assert "<script>" not in page


def test_other_bots_head_and_prefetch_are_flagged_not_counted(make_link, browser) -> None:
    link = make_link()
    client = browser()
    visit(client, link, HTTP_USER_AGENT="curl/8.5.0")
    visit(client, link, HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)")
    visit(client, link, HTTP_USER_AGENT="")
    assert visit(client, link, method="head").status_code == 302
    visit(client, link, HTTP_SEC_PURPOSE="prefetch;prerender")
    visit(client, link, HTTP_PURPOSE="prefetch")
    visit(client, link, HTTP_X_MOZ="prefetch")
    ingest_all()
    counters = stats(link)
    assert counters.human_clicks == 0
    assert counters.bots == 4  # three bots and the HEAD request
    assert counters.prefetches == 3
    flagged = Click.objects.filter(link=link)
    assert flagged.count() == 7  # flags, not deletions
    assert flagged.filter(is_head=True).count() == 1
    assert flagged.filter(is_bot=True).count() == 3


def test_a_click_by_the_sharer_is_flagged_self_click(persona, signed_in, make_link) -> None:
    link = make_link(person=persona.ambassador)
    response = visit(signed_in(persona.ambassador), link)
    assert response.status_code == 302
    visit(signed_in(persona.marketer), link)
    ingest_all()
    counters = stats(link)
    assert (counters.self_clicks, counters.human_clicks) == (1, 1)
    assert Click.objects.get(is_self=True).is_human is False


def test_an_unknown_code_is_a_404_and_an_orphan_visit(db, browser) -> None:
    client = browser()
    response = client.get("/r/Abcdefg9", HTTP_USER_AGENT=BROWSER, HTTP_REFERER="https://t.co/x")
    assert response.status_code == 404
    assert client.get("/r/short").status_code == 404  # malformed: no lookup at all
    assert client.get("/r/Abcdefg9/more").status_code == 404
    ingest_all()
    assert sorted(OrphanVisit.objects.values_list("code", "referrer_host")) == [
        ("Abcdefg9", "t.co"),
        ("Abcdefg9/more", ""),
        ("short", ""),
    ]


def test_a_trailing_slash_still_leads_on(make_link, browser) -> None:
    link = make_link()
    response = browser().get(f"/r/{link.code}/", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 302 and "utm_source=linkedin" in response["Location"]


def test_a_malformed_code_is_refused_before_any_lookup(
    db, django_assert_num_queries, browser
) -> None:
    with django_assert_num_queries(0):
        assert browser().get("/r/" + "x" * 200).status_code == 404


def test_a_withdrawn_item_answers_410_by_default(
    make_link, django_capture_on_commit_callbacks, browser
) -> None:
    link = make_link()
    client = browser()
    visit(client, link)  # cached
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw_link(link)
    response = visit(client, link)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_withdrawing_an_item_withdraws_all_its_links(
    persona, make_link, django_capture_on_commit_callbacks, browser
) -> None:
    links = [make_link(network=network) for network in ("linkedin", "x")]
    other = make_link(content_item_id=43)
    client = browser()
    for link in [*links, other]:
        visit(client, link)  # cached
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.withdraw_item_links(persona.organisation, 42) == 2
    assert [visit(client, link).status_code for link in [*links, other]] == [410, 410, 302]


def test_a_withdrawn_item_can_lead_to_the_fallback_page(persona, make_link, browser) -> None:
    TrackingSettings.objects.create(
        organisation=persona.organisation,
        withdrawn_response="fallback",
        fallback_url="https://careers.example.com/",
    )
    link = make_link()
    actions.withdraw_link(link)
    response = visit(browser(), link)
    assert (response.status_code, response["Location"]) == (302, "https://careers.example.com/")


def test_the_redirect_reads_nothing_once_warm(
    make_link, django_assert_num_queries, django_assert_max_num_queries, browser
) -> None:
    link = make_link()
    client = browser()
    with django_assert_max_num_queries(3):  # the link (settings, person joined), the salt
        assert visit(client, link).status_code == 302
    with django_assert_num_queries(0):
        for _ in range(5):
            assert visit(client, link).status_code == 302
    with django_assert_num_queries(0):
        assert visit(client, link, HTTP_USER_AGENT="LinkedInBot/1.0").status_code == 200


def test_the_cache_is_the_links_cache(make_link, browser) -> None:
    link = make_link()
    visit(browser(), link)
    assert caches["links"].get(f"code:{link.code}")["id"] == link.pk


NASTY = [
    {"HTTP_USER_AGENT": "A" * 100_000},
    {"HTTP_REFERER": "http://[::1"},
    {"HTTP_REFERER": "javascript:alert(1)"},
    {"HTTP_REFERER": "https://" + "a" * 5000 + ".example/"},
    {"HTTP_ACCEPT_LANGUAGE": ";q=,,," * 1000},
    {"HTTP_ACCEPT_LANGUAGE": "fr-FR-x-bad-long-tag,en"},
    {"HTTP_X_FORWARDED_FOR": "not-an-ip, ::::"},
    {"REMOTE_ADDR": "garbage"},
    {"HTTP_SEC_PURPOSE": "\xff" * 10},
    {"HTTP_COOKIE": "sessionid=" + "z" * 5000},
]


@pytest.mark.parametrize("headers", NASTY)
def test_weird_headers_never_cause_a_server_error(make_link, settings, headers, browser) -> None:
    settings.TRUST_X_FORWARDED_FOR = True
    link = make_link()
    response = visit(browser(), link, **headers)
    assert response.status_code in {302, 200}
    ingest_all()
    click = Click.objects.get(link=link)
    assert len(click.referrer_host) <= 100 and len(click.language) <= 16


def test_control_characters_in_a_header_are_read_or_refused_never_an_error(
    make_link, browser
) -> None:
    """NUL and other control characters are not allowed in a header: Django's clients
    deliver them anyway, and the click is counted; the short-link server's HTTP parser
    refuses the request, as nginx in front of it would."""
    link = make_link()
    response = visit(browser(), link, HTTP_USER_AGENT="\x00\x01\x7f\ud7ff bot")
    ingest_all()
    if browser.__name__ == "ShortLinkClient":
        assert response.status_code == 400
        assert not Click.objects.filter(link=link).exists()
    else:
        assert response.status_code == 302
        assert Click.objects.filter(link=link).count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/r/%00%00%00%00%00%00%00",
        "/r/..%2F..%2Fetc%2Fpasswd",
        "/r/" + "%F0%9F%98%80" * 8,
        "/r/abc defgh",
        "/r/ABCDEFG1234567890",
        "/r/c/nothing.gif",
        "/r/c/" + "a" * 3000 + ".gif",
        "/r/c/eyJ9.eyJ9.gif",
    ],
)
def test_malformed_codes_never_cause_a_server_error(db, path, browser) -> None:
    response = browser().get(path, HTTP_USER_AGENT=BROWSER)
    assert response.status_code in {400, 403, 404}
    ingest_all()


def test_other_methods_are_refused(make_link, browser) -> None:
    link = make_link()
    # 405 from the view; a real request (Django's test client skips the CSRF check) meets
    # the CSRF refusal first. Either way nothing is recorded.
    assert browser().post(f"/r/{link.code}").status_code in {403, 405}
    ingest_all()
    assert not Click.objects.filter(link=link).exists()


def test_a_flood_is_recorded_with_a_flag(make_link, settings, browser) -> None:
    settings.CLICK_FLOOD_LIMIT = 3
    link = make_link()
    client = browser()
    statuses = [visit(client, link).status_code for _ in range(45)]
    assert statuses[:39] == [302] * 39  # flagged beyond 3 a minute, still redirected
    assert statuses[39:] == [429] * 6  # ten times over the limit: told to slow down
    ingest_all()
    counters = stats(link)
    assert counters.human_clicks == 3
    assert counters.floods == 42
    assert Click.objects.filter(link=link).count() == 45  # recorded, not dropped


def test_the_country_comes_only_from_the_operators_database(
    make_link, settings, monkeypatch, browser
) -> None:
    link = make_link()
    visit(browser(), link)  # no GEOIP_DATABASE: no country

    class Reader:
        def get(self, address):
            return {"country": {"iso_code": "FR"}} if address == "203.0.113.7" else None

    settings.GEOIP_DATABASE = "/nonexistent/countries.mmdb"
    monkeypatch.setattr(visitors, "_geoip_reader", Reader())
    visit(browser(), link)
    visit(browser(), link, REMOTE_ADDR="198.51.100.1")
    ingest_all()
    # Three clicks within a millisecond may share their time: compared as a whole. Without
    # the database (first) and from an address it does not know (third): no country.
    countries = Click.objects.values_list("country", flat=True)
    assert sorted(countries) == ["", "", "FR"]
