"""Threads: connecting (code, long-lived token, profile), publishing in two steps,
refreshing, deleting, metrics and every kind of failure, against recorded exchanges.

Meta publishes no machine-readable description of the Threads API: each exchange below
is written down from Meta's Threads API documentation (the page is in ``documentation``)
and served from a local server on 127.0.0.1; the test checks the request the module
really sent against it, as the LinkedIn tests do.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from ambassade.content.limits import LIMITS, count
from ambassade.sharing.networks.base import (
    REGISTRY,
    Credentials,
    Gone,
    NeedsReconnection,
    Post,
    Published,
    RateLimited,
    Rejected,
    Transient,
)
from ambassade.sharing.networks.threads import SCOPES, Threads
from ambassade.sharing.tests.networks.fake_api import FakeApi, Recorded, Reply

DOCS = "https://developers.facebook.com/docs/threads"
REDIRECT = "https://ambassade.example/me/accounts/oauth/threads/callback"
APP = {"client_id": "990602627938098", "client_secret": "a1b2c3d4e5"}
USER_ID = "17841400008460056"
SHORT = "THQVJ-short"
LONG = "THQVJ-long-lived"
FRESH = "THQVJ-refreshed"
CREATION_ID = "17889615691921648"
MEDIA_ID = "18038484592172345"
POST = Post(
    text="Notre usine à Lyon ouvre ses portes : 200 emplois #industrie",
    link="https://go.example/abc",
    title="Nouvelle usine à Lyon",
    idempotency_key="target-7",
)
TEXT = f"{POST.text}\n\n{POST.link}"

EXCHANGES: dict[str, dict[str, Any]] = {
    "code": {
        "documentation": f"{DOCS}/get-started/get-access-tokens-and-permissions",
        "request": {
            "method": "POST",
            "path": "/oauth/access_token",
            "form": {
                "client_id": APP["client_id"],
                "client_secret": APP["client_secret"],
                "grant_type": "authorization_code",
                "redirect_uri": REDIRECT,
                "code": "AQBx-code",
            },
        },
        "response": {"status": 200, "json": {"access_token": SHORT, "user_id": int(USER_ID)}},
    },
    "long_lived": {
        "documentation": f"{DOCS}/get-started/long-lived-tokens",
        "request": {
            "method": "GET",
            "path": "/access_token",
            "query": {
                "grant_type": "th_exchange_token",
                "client_secret": APP["client_secret"],
                "access_token": SHORT,
            },
        },
        "response": {
            "status": 200,
            "json": {"access_token": LONG, "token_type": "bearer", "expires_in": 5183944},
        },
    },
    "me": {
        "documentation": f"{DOCS}/threads-profiles",
        "request": {
            "method": "GET",
            "path": "/v1.0/me",
            "query": {"fields": "id,username", "access_token": LONG},
        },
        "response": {"status": 200, "json": {"id": USER_ID, "username": "alice.verdier"}},
    },
    "refresh": {
        "documentation": f"{DOCS}/get-started/long-lived-tokens",
        "request": {
            "method": "GET",
            "path": "/refresh_access_token",
            "query": {"grant_type": "th_refresh_token", "access_token": LONG},
        },
        "response": {
            "status": 200,
            "json": {"access_token": FRESH, "token_type": "bearer", "expires_in": 5183944},
        },
    },
    "container": {
        "documentation": f"{DOCS}/posts",
        "request": {
            "method": "POST",
            "path": f"/v1.0/{USER_ID}/threads",
            "form": {
                "media_type": "TEXT",
                "text": TEXT,
                "link_attachment": POST.link,
                "access_token": LONG,
            },
        },
        "response": {"status": 200, "json": {"id": CREATION_ID}},
    },
    "publish": {
        "documentation": f"{DOCS}/posts",
        "request": {
            "method": "POST",
            "path": f"/v1.0/{USER_ID}/threads_publish",
            "form": {"creation_id": CREATION_ID, "access_token": LONG},
        },
        "response": {"status": 200, "json": {"id": MEDIA_ID}},
    },
    "permalink": {
        "documentation": f"{DOCS}/threads-media",
        "request": {
            "method": "GET",
            "path": f"/v1.0/{MEDIA_ID}",
            "query": {"fields": "permalink", "access_token": LONG},
        },
        "response": {
            "status": 200,
            "json": {
                "permalink": "https://www.threads.net/@alice.verdier/post/DAbc",
                "id": MEDIA_ID,
            },
        },
    },
    "delete": {
        "documentation": f"{DOCS}/posts/delete-posts",
        "request": {
            "method": "DELETE",
            "path": f"/v1.0/{MEDIA_ID}",
            "query": {"access_token": LONG},
        },
        "response": {"status": 200, "json": {"success": True}},
    },
    "insights": {
        "documentation": f"{DOCS}/insights",
        "request": {
            "method": "GET",
            "path": f"/v1.0/{MEDIA_ID}/insights",
            "query": {"metric": "views,likes,replies,reposts,quotes", "access_token": LONG},
        },
        "response": {
            "status": 200,
            "json": {
                "data": [
                    {
                        "name": name,
                        "period": "lifetime",
                        "values": [{"value": value}],
                        "title": name.capitalize(),
                        "id": f"{MEDIA_ID}/insights/{name}/lifetime",
                    }
                    for name, value in [
                        ("views", 1204),
                        ("likes", 37),
                        ("replies", 5),
                        ("reposts", 3),
                        ("quotes", 1),
                    ]
                ]
            },
        },
    },
}


def meta_error(code: int, message: str, subcode: int | None = None) -> dict[str, Any]:
    """Meta's error body (Graph API "Handling errors")."""
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEf",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


def serve(api: FakeApi, name: str, reply: Reply | None = None) -> dict[str, Any]:
    exchange = copy.deepcopy(EXCHANGES[name])
    response = exchange["response"]
    api.on(
        exchange["request"]["method"],
        exchange["request"]["path"],
        reply or Reply(response["status"], response["json"]),
    )
    return exchange


def assert_sent_as_documented(sent: Recorded, exchange: dict[str, Any]) -> None:
    expected = exchange["request"]
    assert (sent.method, sent.path) == (expected["method"], expected["path"])
    assert sent.params() == expected.get("query", {})
    if "form" in expected:
        content_type = sent.header("Content-Type") or ""
        assert content_type.startswith("application/x-www-form-urlencoded")
        assert sent.form() == expected["form"]


def network(api: FakeApi) -> Threads:
    return Threads({**APP, "api_base": api.url, "authorize_url": f"{api.url}/oauth/authorize"})


def credentials(**extra: str) -> Credentials:
    return Credentials(
        secrets={"access_token": LONG, "user_id": USER_ID, **extra},
        expires_at=datetime.now(UTC) + timedelta(days=20),
    )


def test_registered_with_its_own_limits_and_app() -> None:
    assert REGISTRY["threads"] is Threads
    assert (Threads.limits.max_length, Threads.limits.url_length) == (500, None)
    assert Threads.uses_organisation_app
    assert LIMITS["threads"] == 500  # the composer counts it too
    assert count("é" * 500, "threads").remaining == 0
    assert count("é" * 501, "threads").over


def test_authorization_url() -> None:
    url = Threads(APP).authorization_url(redirect_uri=REDIRECT, state="st", code_verifier="v" * 43)
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://threads.net/oauth/authorize"
    assert query == {
        "response_type": "code",
        "client_id": APP["client_id"],
        "redirect_uri": REDIRECT,
        "scope": "threads_basic,threads_content_publish",
        "state": "st",
    }
    assert SCOPES == "threads_basic,threads_content_publish"


def test_without_the_organisation_app_there_is_no_connection() -> None:
    with pytest.raises(Rejected) as rejected:
        Threads({"client_id": "only"}).authorization_url(
            redirect_uri=REDIRECT, state="s", code_verifier=""
        )
    assert "share link" in rejected.value.message


def test_connects_with_a_long_lived_token_and_the_profile(api: FakeApi) -> None:
    exchanges = [serve(api, name) for name in ("code", "long_lived", "me")]
    result = network(api).exchange_code(code="AQBx-code", redirect_uri=REDIRECT, code_verifier="")
    for sent, exchange in zip(api.requests, exchanges, strict=True):
        assert_sent_as_documented(sent, exchange)
    assert result.secrets == {"access_token": LONG, "user_id": USER_ID}
    assert result.expires_at is not None
    assert timedelta(days=59) < result.expires_at - datetime.now(UTC) <= timedelta(days=60)
    identity = network(api).identity(result)
    assert (identity.remote_id, identity.handle) == (USER_ID, "@alice.verdier")


def test_a_refused_code_needs_reconnection(api: FakeApi) -> None:
    refused = meta_error(100, "Invalid verification code format.")
    serve(api, "code", Reply(400, refused))
    with pytest.raises(NeedsReconnection):
        network(api).exchange_code(code="old", redirect_uri=REDIRECT, code_verifier="")
    assert [r.path for r in api.requests] == ["/oauth/access_token"]


def test_refresh_extends_the_long_lived_token(api: FakeApi) -> None:
    exchange = serve(api, "refresh")
    fresh = network(api).refresh(credentials())
    assert_sent_as_documented(api.only("GET", "/refresh_access_token"), exchange)
    assert fresh.secrets == {"access_token": FRESH, "user_id": USER_ID}
    assert fresh.expires_at is not None
    assert fresh.expires_at - datetime.now(UTC) > timedelta(days=59)
    assert Threads.refresh_ahead == timedelta(days=30)  # the daily jobs keep it alive


def test_an_expired_or_refused_token_needs_reconnection(api: FakeApi) -> None:
    expired = Credentials(
        secrets={"access_token": LONG}, expires_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    with pytest.raises(NeedsReconnection):
        network(api).refresh(expired)
    assert api.requests == []  # an expired token cannot be extended: not even asked
    serve(api, "refresh", Reply(400, meta_error(190, "Error validating access token.")))
    with pytest.raises(NeedsReconnection):
        network(api).refresh(credentials())


def test_publishes_a_container_then_publishes_it(api: FakeApi) -> None:
    exchanges = [serve(api, name) for name in ("container", "publish", "permalink")]
    published = network(api).publish(credentials(), POST)
    for sent, exchange in zip(api.requests, exchanges, strict=True):
        assert_sent_as_documented(sent, exchange)
    assert published == Published(MEDIA_ID, "https://www.threads.net/@alice.verdier/post/DAbc")
    assert Threads.shown_text(POST) == TEXT  # the preview shows what is sent


def test_a_post_without_its_permalink_is_still_published(api: FakeApi) -> None:
    serve(api, "container")
    serve(api, "publish")
    serve(api, "permalink", Reply(500, meta_error(2, "Service temporarily unavailable")))
    published = network(api).publish(credentials(), POST)
    assert published.remote_id == MEDIA_ID
    assert published.url == "https://www.threads.net/"


def test_more_than_500_characters_is_refused_before_any_call(api: FakeApi) -> None:
    long_post = Post(text="a" * 478, link="https://go.example/abc")  # 478 + 2 + 22 = 502
    with pytest.raises(Rejected) as rejected:
        network(api).publish(credentials(), long_post)
    assert "500" in rejected.value.message
    assert api.requests == []
    serve(api, "container")
    serve(api, "publish")
    serve(api, "permalink")
    network(api).publish(credentials(), Post(text="a" * 476, link="https://go.example/abc"))


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (
            400,
            meta_error(190, "Error validating access token: Session has expired."),
            NeedsReconnection,
        ),
        (400, meta_error(4, "Application request limit reached"), RateLimited),
        (400, meta_error(17, "User request limit reached"), RateLimited),
        (400, meta_error(32, "Page request limit reached"), RateLimited),
        (400, meta_error(613, "Calls to this api have exceeded the rate limit."), RateLimited),
        (400, meta_error(100, "Invalid parameter", 2207051), Rejected),
        (
            403,
            meta_error(10, "Application does not have permission for this action"),
            NeedsReconnection,
        ),
        (500, meta_error(2, "An unexpected error has occurred."), Transient),
        (503, b"<html>down</html>", Transient),
    ],
)
def test_each_error_kind(api: FakeApi, status: int, body: Any, kind: type) -> None:
    content_type = "text/html" if isinstance(body, bytes) else "application/json"
    serve(api, "container", Reply(status, body, content_type=content_type))
    with pytest.raises(kind) as raised:
        network(api).publish(credentials(), POST)
    if kind is RateLimited:
        assert raised.value.until > datetime.now(UTC) + timedelta(minutes=59)
    if kind is Rejected:
        assert "Invalid parameter" in raised.value.message
    assert [r.path for r in api.requests] == [f"/v1.0/{USER_ID}/threads"]  # nothing published


def test_a_timeout_while_publishing_is_uncertain(api: FakeApi, quick_timeout: None) -> None:
    serve(api, "container")
    serve(api, "publish", Reply(200, {"id": MEDIA_ID}, delay=1.5))
    with pytest.raises(Transient) as raised:
        network(api).publish(credentials(), POST)
    assert raised.value.uncertain


def test_delete(api: FakeApi) -> None:
    exchange = serve(api, "delete")
    network(api).delete(credentials(), Published(MEDIA_ID, ""))
    assert_sent_as_documented(api.only("DELETE", f"/v1.0/{MEDIA_ID}"), exchange)


def test_a_post_already_gone(api: FakeApi) -> None:
    missing = meta_error(100, "Unsupported delete request. Object does not exist.", 33)
    serve(api, "delete", Reply(400, missing))
    with pytest.raises(Gone):
        network(api).delete(credentials(), Published(MEDIA_ID, ""))
    with pytest.raises(Rejected):
        network(api).delete(credentials(), Published("../me", ""))


def test_metrics_from_the_insights(api: FakeApi) -> None:
    exchange = serve(api, "insights")
    metrics = network(api).metrics(credentials(), Published(MEDIA_ID, ""))
    assert_sent_as_documented(api.only("GET", f"/v1.0/{MEDIA_ID}/insights"), exchange)
    assert (metrics.likes, metrics.reposts, metrics.replies, metrics.impressions) == (
        37,
        3,
        5,
        1204,
    )


def test_after_an_uncertain_outcome_the_post_is_found_by_its_link(api: FakeApi) -> None:
    mine = {"id": MEDIA_ID, "text": TEXT, "permalink": "https://www.threads.net/@a/post/D"}
    other = {
        "id": "18000000000000001",
        "text": "Autre chose",
        "timestamp": "2026-11-22T10:00:00+0000",
    }
    api.on(
        "GET",
        f"/v1.0/{USER_ID}/threads",
        Reply(200, {"data": [other, mine]}),
        Reply(200, {"data": [other]}),
    )
    since = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    found = network(api).find_post(credentials(), POST, since)
    assert found == Published(MEDIA_ID, "https://www.threads.net/@a/post/D")
    sent = api.requests[0].params()
    assert sent["since"] == str(int(since.timestamp()) - 60)
    assert (sent["fields"], sent["access_token"]) == ("id,text,permalink,timestamp", LONG)
    assert network(api).find_post(credentials(), POST, since) is None  # read, never posted
    assert Threads.lookup_grace == timedelta(minutes=5)
