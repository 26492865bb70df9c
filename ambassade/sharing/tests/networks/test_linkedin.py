"""LinkedIn: against recorded exchanges written from LinkedIn's documentation."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ambassade.sharing.networks.base import (
    REGISTRY,
    Credentials,
    Metrics,
    NeedsReconnection,
    NetworkError,
    Post,
    Published,
    RateLimited,
    Rejected,
    Transient,
)
from ambassade.sharing.networks.linkedin import (
    LINKEDIN_VERSION,
    SCOPES,
    LinkedIn,
    expires_soon,
    little_text,
)
from ambassade.sharing.tests.networks.fake_api import FakeApi, Recorded, Reply

FIXTURES = Path(__file__).parents[1] / "fixtures" / "linkedin"
REDIRECT = "https://ambassade.example/me/accounts/oauth/linkedin/callback"
TOKEN = "AQUvlL_DYEzvT2wz1QJiEPeLioeA"
POST = Post(
    text="Notre nouvelle usine (Lyon) ouvre ses portes #industrie",
    link="https://go.example/abc",
    title="Nouvelle usine à Lyon",
    description="200 emplois en 2027",
    idempotency_key="t-1",
)


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def serve(api: FakeApi, name: str) -> dict[str, Any]:
    exchange = fixture(name)
    response = json.loads(
        json.dumps(exchange["response"]).replace("https://www.linkedin.com", api.url)
    )
    api.on(
        exchange["request"]["method"],
        exchange["request"]["path"],
        Reply(response["status"], response["json"], headers=response["headers"]),
    )
    return exchange


def assert_sent_as_documented(sent: Recorded, exchange: dict[str, Any]) -> None:
    expected = exchange["request"]
    assert (sent.method, sent.path) == (expected["method"], expected["path"])
    if "query" in expected:
        assert sent.params() == expected["query"]
    for name, value in expected.get("headers", {}).items():
        if value == "YYYYMM":
            assert re.fullmatch(r"20\d{4}", sent.header(name) or ""), name
        else:
            assert sent.header(name) == value, name
    if "json" in expected:
        assert sent.json() == expected["json"]
    if "form" in expected:
        assert sent.form() == expected["form"]


def network(api: FakeApi) -> LinkedIn:
    return LinkedIn(
        {
            "client_id": "86wbu6zqj2ho5r",
            "client_secret": "WPL_AP1.secret",
            "api_base": api.url,
            "oauth_base": api.url,
        }
    )


def credentials(**extra: str) -> Credentials:
    return Credentials(
        secrets={"access_token": TOKEN, "author": "urn:li:person:782bbtaQ", **extra},
        expires_at=datetime.now(UTC) + timedelta(days=50),
    )


def test_registered_with_linkedin_limits() -> None:
    assert REGISTRY["linkedin"] is LinkedIn
    assert (LinkedIn.limits.max_length, LinkedIn.limits.url_length) == (3000, None)
    assert re.fullmatch(r"20\d{2}(0[1-9]|1[0-2])", LINKEDIN_VERSION)


def test_authorization_url() -> None:
    url = LinkedIn({"client_id": "86wbu6zqj2ho5r", "client_secret": "s"}).authorization_url(
        redirect_uri=REDIRECT, state="st", code_verifier="unused"
    )
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://www.linkedin.com/oauth/v2/authorization"
    )
    assert query == {
        "response_type": "code",
        "client_id": "86wbu6zqj2ho5r",
        "redirect_uri": REDIRECT,
        "state": "st",
        "scope": "openid profile w_member_social",
    }
    assert SCOPES == "openid profile w_member_social"


def test_without_the_organisation_app_there_is_no_connection() -> None:
    with pytest.raises(Rejected) as rejected:
        LinkedIn().authorization_url(redirect_uri=REDIRECT, state="s", code_verifier="")
    assert "share link" in rejected.value.message


def test_exchanges_the_code_and_finds_the_author_urn(api: FakeApi) -> None:
    token = serve(api, "token_authorization_code")
    userinfo = serve(api, "userinfo")
    result = network(api).exchange_code(
        code=token["request"]["form"]["code"], redirect_uri=REDIRECT, code_verifier=""
    )
    assert_sent_as_documented(api.only("POST", "/oauth/v2/accessToken"), token)
    assert_sent_as_documented(api.only("GET", "/v2/userinfo"), userinfo)
    assert result.secrets == {"access_token": TOKEN, "author": "urn:li:person:782bbtaQ"}
    assert result.expires_at is not None
    assert timedelta(days=59) < result.expires_at - datetime.now(UTC) <= timedelta(days=60)


def test_identity(api: FakeApi) -> None:
    serve(api, "userinfo")
    found = network(api).identity(credentials())
    assert (found.remote_id, found.handle, found.audience) == (
        "urn:li:person:782bbtaQ",
        "John Doe",
        None,
    )


def test_publishes_an_article_post_as_documented(api: FakeApi) -> None:
    exchange = serve(api, "create_article_post")
    published = network(api).publish(credentials(), POST)
    assert_sent_as_documented(api.only("POST", "/rest/posts"), exchange)
    assert api.requests[0].header("LinkedIn-Version") == LINKEDIN_VERSION
    assert published == Published(
        "urn:li:share:6844785523593134080",
        "https://www.linkedin.com/feed/update/urn:li:share:6844785523593134080/",
    )


def test_the_card_picture_is_uploaded_first(api: FakeApi) -> None:
    initialize = serve(api, "initialize_image_upload")
    upload = serve(api, "upload_image")
    exchange = serve(api, "create_article_post")
    post = Post(**{**POST.__dict__, "image": b"\x89PNG fake", "image_type": "image/png"})
    network(api).publish(credentials(), post)
    assert [r.method for r in api.requests] == ["POST", "PUT", "POST"]
    assert_sent_as_documented(api.requests[0], initialize)
    sent = api.requests[1]
    assert_sent_as_documented(sent, upload)
    assert (sent.body, sent.header("Content-Type")) == (b"\x89PNG fake", "image/png")
    assert "ut=2H-IhpbfXrRow1" in sent.query
    expected = json.loads(json.dumps(exchange))
    expected["request"]["json"]["content"]["article"]["thumbnail"] = (
        "urn:li:image:C4E10AQFoyyAjHPMQuQ"
    )
    assert_sent_as_documented(api.requests[2], expected)


def test_the_token_goes_to_linkedin_only(api: FakeApi) -> None:
    exchange = fixture("initialize_image_upload")
    exchange["response"]["json"]["value"]["uploadUrl"] = "https://evil.example/upload"
    api.on("POST", "/rest/images", Reply(200, exchange["response"]["json"]))
    post = Post(**{**POST.__dict__, "image": b"img", "image_type": "image/png"})
    with pytest.raises(Transient):
        network(api).publish(credentials(), post)
    assert [r.path for r in api.requests] == ["/rest/images"]


def test_publish_reads_the_author_when_not_stored(api: FakeApi) -> None:
    serve(api, "userinfo")
    serve(api, "create_article_post")
    network(api).publish(Credentials(secrets={"access_token": TOKEN}), POST)
    assert api.only("POST", "/rest/posts").json()["author"] == "urn:li:person:782bbtaQ"


def test_the_version_can_move_without_a_release(api: FakeApi) -> None:
    serve(api, "create_article_post")
    LinkedIn({**network(api).config, "version": "202701"}).publish(credentials(), POST)
    assert api.requests[0].header("LinkedIn-Version") == "202701"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("create_post_expired_token", NeedsReconnection),
        ("create_post_throttled", RateLimited),
        ("create_post_duplicate", Rejected),
        ("create_post_invalid", Rejected),
        ("create_post_unavailable", Transient),
    ],
)
def test_failures_are_classified(api: FakeApi, name: str, kind: type[NetworkError]) -> None:
    exchange = serve(api, name)
    with pytest.raises(kind) as failure:
        network(api).publish(credentials(), POST)
    if kind is Rejected:
        assert failure.value.message.endswith(exchange["response"]["json"]["message"])
    if isinstance(failure.value, RateLimited):  # no reset header: an hour
        wait = failure.value.until - datetime.now(UTC)
        assert timedelta(minutes=59) < wait <= timedelta(hours=1)
    if isinstance(failure.value, Transient):
        assert not failure.value.uncertain


def test_timeout_after_sending_is_uncertain(api: FakeApi, quick_timeout: None) -> None:
    api.on(
        "POST",
        "/rest/posts",
        Reply(201, None, headers={"x-restli-id": "urn:li:share:1"}, delay=1.5),
    )
    with pytest.raises(Transient) as transient:
        network(api).publish(credentials(), POST)
    assert transient.value.uncertain


def test_refresh_while_valid_keeps_the_credentials() -> None:
    kept = credentials()
    assert LinkedIn().refresh(kept) is kept


def test_refresh_after_expiry_needs_reconnection() -> None:
    expired = Credentials(
        secrets={"access_token": TOKEN}, expires_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    with pytest.raises(NeedsReconnection):
        LinkedIn().refresh(expired)


def test_refresh_with_a_partner_refresh_token(api: FakeApi) -> None:
    api.on(
        "POST",
        "/oauth/v2/accessToken",
        Reply(200, {"access_token": "new", "expires_in": 5184000, "refresh_token": "r2"}),
    )
    old = Credentials(
        secrets={"access_token": TOKEN, "refresh_token": "r1", "author": "urn:li:person:x"},
        expires_at=datetime.now(UTC) + timedelta(days=2),
    )
    fresh = network(api).refresh(old)
    assert fresh.secrets == {
        "access_token": "new",
        "refresh_token": "r2",
        "author": "urn:li:person:x",
    }
    assert api.requests[0].form()["grant_type"] == "refresh_token"


def test_a_refused_code_needs_reconnection(api: FakeApi) -> None:
    api.on(
        "POST",
        "/oauth/v2/accessToken",
        Reply(
            400,
            {
                "error": "invalid_request",
                "error_description": (
                    "Unable to retrieve access token: authorization code not found"
                ),
            },
        ),
    )
    with pytest.raises(NeedsReconnection):
        network(api).exchange_code(code="old", redirect_uri=REDIRECT, code_verifier="")


@pytest.mark.parametrize(
    ("days_left", "soon"),
    [(-1, True), (3, True), (6.9, True), (8, False), (50, False)],
)
def test_expires_soon(days_left: float, soon: bool) -> None:
    held = Credentials(
        secrets={"access_token": TOKEN},
        expires_at=datetime.now(UTC) + timedelta(days=days_left),
    )
    assert expires_soon(held) is soon
    assert LinkedIn.expires_soon(held, days=7) is soon


def test_no_expiry_known_is_not_soon() -> None:
    assert expires_soon(Credentials(secrets={"access_token": TOKEN})) is False


def test_metrics_are_not_available() -> None:
    assert LinkedIn().metrics(credentials(), Published("urn:li:share:1", "")) == Metrics()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello", "Hello"),
        ("(a) [b] {c} <d>", r"\(a\) \[b\] \{c\} \<d\>"),
        ("@alice a_b *c* ~d~ e|f g\\h", r"\@alice a\_b \*c\* \~d\~ e\|f g\\h"),
        ("#Lyon et #usine4_0", r"{hashtag|\#|Lyon} et {hashtag|\#|usine4_0}"),
        ("C# ou a#b", r"C\# ou a\#b"),
        ("Café 🎉 https://go.example/a", "Café 🎉 https://go.example/a"),
        ("#a https://go.example/p#top", r"{hashtag|\#|a} https://go.example/p\#top"),
    ],
)
def test_little_text(text: str, expected: str) -> None:
    assert little_text(text) == expected
