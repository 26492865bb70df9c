"""The analytics settings page and API: currency and small groups, media rates, brand accounts."""

from __future__ import annotations

import html
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ambassade.analytics.models import AnalyticsSettings, BrandAccount, MediaRate
from ambassade.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PAGE = "/console/analytics/settings/"
API = "/api/v1/analytics"
JSON = "application/json"


def text(response) -> str:
    return html.unescape(response.content.decode())


def row(response, element_id: str) -> str:
    """The HTML of one table row, by its id."""
    page = response.content.decode()
    start = page.index(f'id="{element_id}"')
    return html.unescape(page[start : page.index("</tr>", start)])


def audited(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


@pytest.fixture
def brand(persona) -> BrandAccount:
    return BrandAccount.objects.create(
        organisation=persona.organisation,
        network="linkedin",
        handle="Acme",
        followers=1200,
        measured_on=timezone.localdate() - timedelta(days=3),
    )


@pytest.fixture
def foreign(persona) -> BrandAccount:
    return BrandAccount.objects.create(
        organisation=persona.outsider.organisation,
        network="linkedin",
        handle="Elsewhere",
        followers=50,
        measured_on=timezone.localdate(),
    )


# --- The page: who reads, who writes ------------------------------------------------


@pytest.mark.parametrize("name", ["marketer", "admin"])
def test_managers_see_the_forms(persona, client_for, name) -> None:
    response = client_for(getattr(persona, name)).get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    for kind in ("settings", "rate", "add_account"):
        assert f'name="form" value="{kind}"' in page
    assert 'for="id_linkedin-cost_per_click"' in page  # every input has its label
    assert 'for="id_handle"' in page


@pytest.mark.parametrize("name", ["hr", "comms", "coach", "sales"])
def test_the_working_group_reads_without_forms(persona, client_for, brand, name) -> None:
    response = client_for(getattr(persona, name)).get(PAGE)
    assert response.status_code == 200
    page = text(response)
    content = page.split('id="rules"')[1]
    assert 'name="form"' not in content and "<input" not in content
    assert "Acme" in page and "1,200" in page
    assert "human clicks × cost per click" in page


@pytest.mark.parametrize("name", ["ambassador", "employee"])
def test_others_are_refused(persona, client_for, name) -> None:
    assert client_for(getattr(persona, name)).get(PAGE).status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {"form": "settings", "currency": "CHF", "small_group": "7"},
        {"form": "rate", "network": "x", "x-cost_per_click": "1", "x-cost_per_mille": "2"},
        {"form": "reset", "network": "linkedin"},
        {"form": "add_account", "network": "x", "handle": "@a", "followers": "1"},
        {"form": "change_account", "account": "1", "followers": "1"},
        {"form": "remove_account", "account": "1", "confirm": "remove"},
    ],
)
def test_only_marketing_and_admins_post(persona, client_for, brand, data) -> None:
    for name in ("hr", "comms", "coach", "sales", "ambassador"):
        response = client_for(getattr(persona, name)).post(PAGE, data)
        assert response.status_code == 403, name
    assert not AuditEvent.objects.filter(action__startswith="analytics.").exists()


def test_defaults_and_own_rates_are_marked(persona, client_for) -> None:
    MediaRate.objects.create(
        organisation=persona.organisation,
        network="linkedin",
        cost_per_click=Decimal("4.50"),
        cost_per_mille=Decimal("28.00"),
    )
    response = client_for(persona.hr).get(PAGE)
    linkedin, x = row(response, "rate-linkedin"), row(response, "rate-x")
    assert "4.50" in linkedin and "28.00" in linkedin and "set by you" in linkedin
    assert "0.80" in x and "6.00" in x and "default" in x
    # Share-link networks are rows too, with the proxy rate.
    assert "default" in row(response, "rate-whatsapp")
    assert "0.50" in row(response, "rate-mastodon")


# --- Currency and small groups -----------------------------------------------------


def test_settings_are_saved_and_audited(persona, client_for) -> None:
    client = client_for(persona.marketer)
    response = client.post(PAGE, {"form": "settings", "currency": " CHF ", "small_group": "7"})
    assert response.status_code == 302
    assert response["Location"].endswith("#rules")
    options = AnalyticsSettings.objects.get(organisation=persona.organisation)
    assert (options.currency, options.small_group) == ("CHF", 7)
    event = audited("analytics.settings_changed")
    assert event.before == {"currency": "EUR", "small_group": 5}
    assert event.after == {"currency": "CHF", "small_group": 7}
    page = text(client.get(PAGE))
    assert "Settings saved." in page
    assert "Groups of fewer than 7 people" in page


@pytest.mark.parametrize(
    ("currency", "small_group", "message"),
    [
        ("eur", "5", "three capital letters (ISO 4217)"),
        ("EURO", "5", "three capital letters (ISO 4217)"),
        ("E1R", "5", "three capital letters (ISO 4217)"),
        ("EUR", "2", "from 3 to 50 people"),
        ("EUR", "51", "from 3 to 50 people"),
        ("EUR", "five", "Enter a whole number."),
    ],
)
def test_settings_errors_are_shown_next_to_the_field(
    persona, client_for, currency, small_group, message
) -> None:
    response = client_for(persona.admin).post(
        PAGE, {"form": "settings", "currency": currency, "small_group": small_group}
    )
    assert response.status_code == 200
    assert message in text(response)
    assert 'class="field-error"' in response.content.decode()
    assert not AnalyticsSettings.objects.exists()


# --- Media rates --------------------------------------------------------------------


def test_a_rate_is_set_with_a_decimal_comma_then_reset(persona, client_for) -> None:
    client = client_for(persona.marketer)
    response = client.post(
        PAGE,
        {
            "form": "rate",
            "network": "linkedin",
            "linkedin-cost_per_click": "4,50",
            "linkedin-cost_per_mille": "28",
        },
    )
    assert response.status_code == 302
    rate = MediaRate.objects.get(organisation=persona.organisation, network="linkedin")
    assert (rate.cost_per_click, rate.cost_per_mille) == (Decimal("4.50"), Decimal("28.00"))
    assert audited("analytics.media_rate_set").after["cost_per_click"] == "4.50"
    page = client.get(PAGE)
    assert "Rates of LinkedIn saved." in text(page)
    assert "set by you" in row(page, "rate-linkedin")
    assert "Back to default" in row(page, "rate-linkedin")
    assert "Back to default" not in row(page, "rate-x")

    response = client.post(PAGE, {"form": "reset", "network": "linkedin"})
    assert response.status_code == 302
    assert not MediaRate.objects.exists()
    assert audited("analytics.media_rate_reset").before["cost_per_mille"] == "28.00"
    page = client.get(PAGE)
    assert "LinkedIn is back to the default rates." in text(page)
    assert "5.00" in row(page, "rate-linkedin") and "default" in row(page, "rate-linkedin")


def test_changing_an_own_rate_keeps_one_row(persona, client_for) -> None:
    client = client_for(persona.marketer)
    for cpc in ("1", "2"):
        data = {"form": "rate", "network": "x", "x-cost_per_click": cpc, "x-cost_per_mille": "3"}
        assert client.post(PAGE, data).status_code == 302
    assert MediaRate.objects.get().cost_per_click == Decimal("2.00")
    assert audited_count("analytics.media_rate_set") == 2


def audited_count(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


@pytest.mark.parametrize(
    ("cpc", "cpm", "message"),
    [
        ("-1", "10", "An amount cannot be negative."),
        ("1000.01", "10", "A click costs at most 1,000"),
        ("1", "10000.50", "A thousand impressions cost at most 10,000"),
        ("abc", "10", "Enter an amount, such as 4.50."),
        ("1.005", "10", "Use at most two decimals."),
        ("", "10", "This field is required."),
    ],
)
def test_rate_errors_are_shown_in_the_row(persona, client_for, cpc, cpm, message) -> None:
    response = client_for(persona.marketer).post(
        PAGE, {"form": "rate", "network": "x", "x-cost_per_click": cpc, "x-cost_per_mille": cpm}
    )
    assert response.status_code == 200
    x = row(response, "rate-x")
    assert message in x
    assert "<details open>" in x  # the row's form stays open on its errors
    assert not MediaRate.objects.exists()


def test_an_unknown_network_is_not_a_row(persona, client_for) -> None:
    client = client_for(persona.marketer)
    data = {"form": "rate", "network": "myspace", "myspace-cost_per_click": "1"}
    assert client.post(PAGE, {**data, "myspace-cost_per_mille": "1"}).status_code == 404
    assert client.post(PAGE, {"form": "reset", "network": "myspace"}).status_code == 404
    assert client.post(PAGE, {"form": "nonsense"}).status_code == 404


# --- Brand accounts -----------------------------------------------------------------


def test_an_account_is_added_trimmed_and_audited(persona, client_for) -> None:
    client = client_for(persona.marketer)
    day = timezone.localdate() - timedelta(days=2)
    response = client.post(
        PAGE,
        {
            "form": "add_account",
            "network": "bluesky",
            "handle": "  @acme.example  ",
            "followers": "800",
            "measured_on": day.isoformat(),
        },
    )
    assert response.status_code == 302
    account = BrandAccount.objects.get(organisation=persona.organisation)
    assert (account.network, account.handle, account.followers) == ("bluesky", "@acme.example", 800)
    assert audited("analytics.brand_account_added").after == {
        "network": "bluesky",
        "handle": "@acme.example",
        "followers": 800,
        "measured_on": day.isoformat(),
    }
    page = client.get(PAGE)
    assert "Account added." in text(page)
    assert "@acme.example" in row(page, f"account-{account.pk}")
    assert "Bluesky" in row(page, f"account-{account.pk}")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"handle": "ACME"}, "handle", "ACME is already registered for this network."),
        ({"handle": "   "}, "handle", "This field is required."),
        ({"network": "myspace"}, "network", "Unknown network: myspace."),
        ({"followers": "-3"}, "followers", "Followers cannot be negative."),
        ({"followers": "12.5"}, "followers", "Enter a whole number."),
        ({"followers": "2000000000"}, "followers", "At most 1,000,000,000 followers"),
        ({"measured_on": "tomorrow"}, "measured_on", "The date cannot be in the future."),
    ],
)
def test_account_errors_are_shown_next_to_the_field(
    persona, client_for, brand, changes, field, message
) -> None:
    data = {
        "form": "add_account",
        "network": "linkedin",
        "handle": "Acme Careers",
        "followers": "10",
        "measured_on": timezone.localdate().isoformat(),
        **changes,
    }
    if data["measured_on"] == "tomorrow":
        data["measured_on"] = tomorrow().isoformat()
    response = client_for(persona.marketer).post(PAGE, data)
    assert response.status_code == 200
    page = text(response)
    assert message in page
    # The message sits in the field's own block, not only somewhere on the page.
    start = page.index(f'id="id_{field}"')
    end = page.find('<div class="field', start)
    assert message in page[start : end if end != -1 else None]
    assert BrandAccount.objects.count() == 1


def test_the_same_handle_on_another_network_is_fine(persona, client_for, brand) -> None:
    response = client_for(persona.marketer).post(
        PAGE,
        {
            "form": "add_account",
            "network": "x",
            "handle": "Acme",
            "followers": "10",
            "measured_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert BrandAccount.objects.count() == 2


def test_followers_are_counted_again(persona, client_for, brand) -> None:
    client = client_for(persona.admin)
    prefix = f"account-{brand.pk}"
    day = timezone.localdate()
    data = {
        "form": "change_account",
        "account": brand.pk,
        f"{prefix}-followers": "1500",
        f"{prefix}-measured_on": day.isoformat(),
    }
    assert client.post(PAGE, data).status_code == 302
    brand.refresh_from_db()
    assert (brand.followers, brand.measured_on) == (1500, day)
    event = audited("analytics.brand_account_changed")
    assert (event.before["followers"], event.after["followers"]) == (1200, 1500)
    assert "Followers of Acme saved." in text(client.get(PAGE))

    data[f"{prefix}-measured_on"] = tomorrow().isoformat()
    data[f"{prefix}-followers"] = "-1"
    response = client.post(PAGE, data)
    assert response.status_code == 200
    account_row = row(response, f"account-{brand.pk}")
    assert "Followers cannot be negative." in account_row
    assert "The date cannot be in the future." in account_row
    assert "<details open>" in account_row
    brand.refresh_from_db()
    assert brand.followers == 1500


def test_removal_needs_the_box_ticked(persona, client_for, brand) -> None:
    client = client_for(persona.marketer)
    response = client.post(PAGE, {"form": "remove_account", "account": brand.pk}, follow=True)
    assert "Tick the box to confirm the removal of Acme." in text(response)
    assert BrandAccount.objects.exists()

    response = client.post(
        PAGE, {"form": "remove_account", "account": brand.pk, "confirm": "remove"}, follow=True
    )
    assert "Acme removed." in text(response)
    assert not BrandAccount.objects.exists()
    assert audited("analytics.brand_account_removed").before["handle"] == "Acme"


def test_another_organisations_account_is_404(persona, client_for, foreign) -> None:
    client = client_for(persona.marketer)
    prefix = f"account-{foreign.pk}"
    change = {"form": "change_account", "account": foreign.pk, f"{prefix}-followers": "1"}
    assert client.post(PAGE, change).status_code == 404
    remove = {"form": "remove_account", "account": foreign.pk, "confirm": "remove"}
    assert client.post(PAGE, remove).status_code == 404
    assert client.post(PAGE, {**remove, "account": "x"}).status_code == 404
    assert "Elsewhere" not in text(client.get(PAGE))
    foreign.refresh_from_db()
    assert foreign.followers == 50


# --- The API ------------------------------------------------------------------------


def test_api_reads_settings_rates_and_accounts(persona, client_for, brand) -> None:
    MediaRate.objects.create(
        organisation=persona.organisation,
        network="linkedin",
        cost_per_click=Decimal("4.50"),
        cost_per_mille=Decimal("28.00"),
    )
    response = client_for(persona.hr).get(f"{API}/settings")
    assert response.status_code == 200
    body = response.json()
    assert (body["currency"], body["small_group"]) == ("EUR", 5)
    rates = {rate["network"]: rate for rate in body["rates"]}
    assert {"bluesky", "mastodon", "x", "linkedin", "whatsapp", "email"} <= set(rates)
    assert rates["linkedin"]["is_default"] is False
    assert Decimal(rates["linkedin"]["cost_per_click"]) == Decimal("4.50")
    assert rates["x"]["is_default"] is True
    assert body["brand_accounts"] == [
        {
            "id": brand.pk,
            "network": "linkedin",
            "handle": "Acme",
            "followers": 1200,
            "measured_on": brand.measured_on.isoformat(),
        }
    ]
    assert client_for(persona.ambassador).get(f"{API}/settings").status_code == 403


def test_api_writes_need_the_settings_permission(persona, client_for, brand) -> None:
    client = client_for(persona.hr)
    writes = [
        ("put", f"{API}/settings", {"currency": "CHF", "small_group": 5}),
        ("put", f"{API}/rates/x", {"cost_per_click": "1", "cost_per_mille": "1"}),
        ("delete", f"{API}/rates/x", None),
        (
            "post",
            f"{API}/brand-accounts",
            {"network": "x", "handle": "@a", "followers": 1, "measured_on": "2024-01-01"},
        ),
        ("patch", f"{API}/brand-accounts/{brand.pk}", {"followers": 1}),
        ("delete", f"{API}/brand-accounts/{brand.pk}", None),
    ]
    for method, url, data in writes:
        response = getattr(client, method)(url, data, content_type=JSON)
        assert response.status_code == 403, (method, url)
        assert response.json()["error"]["code"] == "forbidden"


def test_api_settings(persona, client_for) -> None:
    client = client_for(persona.marketer)
    response = client.put(f"{API}/settings", {"currency": "USD", "small_group": 10}, JSON)
    assert response.status_code == 200
    assert (response.json()["currency"], response.json()["small_group"]) == ("USD", 10)
    assert audited("analytics.settings_changed").via == "api"

    response = client.put(f"{API}/settings", {"currency": "usd", "small_group": 60}, JSON)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    fields = {detail["field"]: detail["message"] for detail in error["details"]}
    assert "ISO 4217" in fields["currency"]
    assert "from 3 to 50" in fields["small_group"]


def test_api_rates(persona, client_for) -> None:
    client = client_for(persona.marketer)
    response = client.put(
        f"{API}/rates/linkedin", {"cost_per_click": 4.5, "cost_per_mille": "28"}, JSON
    )
    assert response.status_code == 200
    body = response.json()
    assert body["is_default"] is False and body["name"] == "LinkedIn"
    assert Decimal(body["cost_per_click"]) == Decimal("4.50")

    response = client.delete(f"{API}/rates/linkedin")
    assert response.status_code == 200
    assert response.json()["is_default"] is True
    assert Decimal(response.json()["cost_per_click"]) == Decimal("5.00")
    assert not MediaRate.objects.exists()
    assert audited_count("analytics.media_rate_reset") == 1


@pytest.mark.parametrize(
    ("network", "payload", "field", "message"),
    [
        ("myspace", {"cost_per_click": 1, "cost_per_mille": 1}, "network", "Unknown network"),
        ("x", {"cost_per_click": -1, "cost_per_mille": 1}, "cost_per_click", "negative"),
        ("x", {"cost_per_click": 1001, "cost_per_mille": 1}, "cost_per_click", "at most 1,000"),
        ("x", {"cost_per_click": 1, "cost_per_mille": 10001}, "cost_per_mille", "at most 10,000"),
    ],
)
def test_api_rate_errors(persona, client_for, network, payload, field, message) -> None:
    response = client_for(persona.marketer).put(f"{API}/rates/{network}", payload, JSON)
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert any(d["field"] == field and message in d["message"] for d in details), details
    assert not MediaRate.objects.exists()


def test_api_unknown_network_reset_is_refused(persona, client_for) -> None:
    response = client_for(persona.marketer).delete(f"{API}/rates/myspace")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "network"


def test_api_brand_accounts(persona, client_for, brand) -> None:
    client = client_for(persona.marketer)
    payload = {"network": "x", "handle": " @acme ", "followers": 4500, "measured_on": "2024-05-01"}
    response = client.post(f"{API}/brand-accounts", payload, JSON)
    assert response.status_code == 201
    created = response.json()
    assert (created["handle"], created["followers"]) == ("@acme", 4500)

    response = client.post(f"{API}/brand-accounts", {**payload, "handle": "@ACME"}, JSON)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "handle"
    assert "already registered" in response.json()["error"]["message"]

    future = {**payload, "handle": "@other", "measured_on": tomorrow().isoformat()}
    response = client.post(f"{API}/brand-accounts", future, JSON)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "measured_on"

    url = f"{API}/brand-accounts/{created['id']}"
    response = client.patch(url, {"followers": 4600}, JSON)
    assert response.status_code == 200
    assert response.json()["followers"] == 4600
    assert response.json()["measured_on"] == timezone.localdate().isoformat()
    response = client.patch(url, {"followers": -1}, JSON)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "followers"

    assert client.delete(url).status_code == 204
    assert not BrandAccount.objects.filter(pk=created["id"]).exists()
    assert audited_count("analytics.brand_account_removed") == 1
    assert client.delete(url).status_code == 404


def test_api_another_organisations_account_is_404(persona, client_for, foreign) -> None:
    client = client_for(persona.marketer)
    url = f"{API}/brand-accounts/{foreign.pk}"
    assert client.patch(url, {"followers": 1}, JSON).status_code == 404
    assert client.delete(url).status_code == 404
    assert BrandAccount.objects.filter(pk=foreign.pk, followers=50).exists()
    # The outsider, an admin of that organisation, reaches it.
    assert client_for(persona.outsider).patch(url, {"followers": 51}, JSON).status_code == 200


def test_api_tokens_need_the_analytics_scopes(persona) -> None:
    from django.test import Client

    from ambassade.people.models import ApiToken, hash_token

    def token(scopes: list[str]) -> str:
        secret = f"amb_settings{len(scopes)}"
        ApiToken.objects.create(
            organisation=persona.organisation,
            person=persona.marketer,
            name="t",
            scopes=scopes,
            secret_hash=hash_token(secret),
        )
        return secret

    client = Client()
    reader = {"HTTP_AUTHORIZATION": f"Bearer {token(['analytics:read'])}"}
    writer = {"HTTP_AUTHORIZATION": f"Bearer {token(['analytics:read', 'analytics:write'])}"}
    rates = {"cost_per_click": "1.20", "cost_per_mille": "9"}
    assert client.get(f"{API}/settings", **reader).status_code == 200
    assert client.put(f"{API}/rates/LinkedIn", rates, JSON, **reader).status_code == 403
    response = client.put(f"{API}/rates/LinkedIn", rates, JSON, **writer)
    assert response.status_code == 200
    assert response.json()["network"] == "linkedin" and response.json()["is_default"] is False
    assert audited("analytics.media_rate_set").via == "api"
