"""X: OAuth 2.0 with PKCE, refresh, publishing, finding a post after an uncertain outcome."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from ambassade.sharing.networks.base import (
    REGISTRY,
    CannotTell,
    Credentials,
    NeedsReconnection,
    Post,
    Published,
    RateLimited,
    Rejected,
    Transient,
)
from ambassade.sharing.networks.x import PRICING_NOTE, SCOPES, X, pkce_challenge
from ambassade.sharing.tests.networks.fake_api import FakeApi, Reply

REDIRECT = "https://ambassade.example/me/accounts/oauth/x/callback"
USER = {
    "data": {
        "id": "2244994945",
        "name": "Alice",
        "username": "alice",
        "public_metrics": {
            "followers_count": 5120,
            "following_count": 10,
            "post_count": 300,
            "listed_count": 2,
            "like_count": 0,
        },
    }
}
POST = Post(
    text="Notre usine à Lyon & ses 200 emplois #industrie",
    link="https://go.example/abc",
    idempotency_key="target-7",
)


def network(api: FakeApi) -> X:
    return X(
        {
            "client_id": "cid",
            "client_secret": "csecret",
            "api_base": api.url,
        }
    )


def credentials(**extra: str) -> Credentials:
    return Credentials(secrets={"access_token": "tok", "refresh_token": "ref", **extra})


def test_registered_and_counts_like_x() -> None:
    assert REGISTRY["x"] is X
    assert (X.limits.max_length, X.limits.url_length) == (280, 23)
    assert "link" in str(PRICING_NOTE)


def test_pkce_challenge_of_rfc_7636() -> None:
    # The example of RFC 7636, appendix B.
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_authorization_url(api: FakeApi) -> None:
    url = network(api).authorization_url(redirect_uri=REDIRECT, state="st", code_verifier="v" * 43)
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://x.com/i/oauth2/authorize"
    assert query == {
        "response_type": "code",
        "client_id": "cid",
        "redirect_uri": REDIRECT,
        "scope": SCOPES,
        "state": "st",
        "code_challenge": pkce_challenge("v" * 43),
        "code_challenge_method": "S256",
    }
    assert "offline.access" in SCOPES.split()


def test_without_the_organisation_app_there_is_no_connection() -> None:
    with pytest.raises(Rejected) as rejected:
        X({"client_id": "only"}).authorization_url(
            redirect_uri=REDIRECT, state="s", code_verifier="v" * 43
        )
    assert "share link" in rejected.value.message


def test_exchanges_the_code_as_a_confidential_client(api: FakeApi) -> None:
    api.on(
        "POST",
        "/2/oauth2/token",
        Reply(
            200,
            {
                "token_type": "bearer",
                "expires_in": 7200,
                "access_token": "acc",
                "scope": SCOPES,
                "refresh_token": "ref1",
            },
        ),
    )
    api.on("GET", "/2/users/me", Reply(200, USER))
    result = network(api).exchange_code(code="c0de", redirect_uri=REDIRECT, code_verifier="v" * 43)
    assert result.secrets == {
        "access_token": "acc",
        "refresh_token": "ref1",
        "user_id": "2244994945",
    }
    assert result.expires_at is not None and result.expires_at > datetime.now(UTC)
    token = api.only("POST", "/2/oauth2/token")
    assert token.header("Authorization") == "Basic " + base64.b64encode(b"cid:csecret").decode()
    assert token.header("Content-Type") == "application/x-www-form-urlencoded"
    assert token.form() == {
        "grant_type": "authorization_code",
        "code": "c0de",
        "redirect_uri": REDIRECT,
        "code_verifier": "v" * 43,
        "client_id": "cid",
    }


def test_refresh_rotates_the_refresh_token(api: FakeApi) -> None:
    api.on(
        "POST",
        "/2/oauth2/token",
        Reply(200, {"access_token": "acc2", "refresh_token": "ref2", "expires_in": 7200}),
    )
    fresh = network(api).refresh(credentials(user_id="2244994945"))
    assert fresh.secrets == {
        "access_token": "acc2",
        "refresh_token": "ref2",
        "user_id": "2244994945",
    }
    assert api.requests[0].form()["grant_type"] == "refresh_token"
    assert api.requests[0].form()["refresh_token"] == "ref"


def test_a_refused_refresh_needs_reconnection(api: FakeApi) -> None:
    api.on(
        "POST",
        "/2/oauth2/token",
        Reply(
            400,
            {
                "error": "invalid_request",
                "error_description": "Value passed for the token was invalid.",
            },
        ),
    )
    with pytest.raises(NeedsReconnection):
        network(api).refresh(credentials())


def test_no_refresh_token_needs_reconnection() -> None:
    with pytest.raises(NeedsReconnection):
        X().refresh(Credentials(secrets={"access_token": "a"}))


def test_identity(api: FakeApi) -> None:
    api.on("GET", "/2/users/me", Reply(200, USER))
    found = network(api).identity(credentials())
    assert (found.remote_id, found.handle, found.audience) == ("2244994945", "@alice", 5120)
    assert api.requests[0].params() == {"user.fields": "public_metrics"}
    assert api.requests[0].header("Authorization") == "Bearer tok"


def test_publishes(api: FakeApi) -> None:
    api.on(
        "POST",
        "/2/tweets",
        Reply(201, {"data": {"id": "1445880548472328192", "text": "…"}}),
    )
    published = network(api).publish(credentials(), POST)
    assert published == Published(
        "1445880548472328192", "https://x.com/i/web/status/1445880548472328192"
    )
    sent = api.only("POST", "/2/tweets")
    assert sent.json() == {"text": f"{POST.text}\n\n{POST.link}"}
    assert sent.header("Content-Type") == "application/json"


def recent(*tweets: dict[str, object]) -> Reply:
    return Reply(200, {"data": list(tweets), "meta": {"result_count": len(tweets)}})


def test_find_post_after_an_uncertain_outcome(api: FakeApi) -> None:
    """X gives the text back with t.co links and HTML entities."""
    api.on(
        "GET",
        "/2/users/2244994945/tweets",
        recent(
            {"id": "1", "text": "Something else https://t.co/zzz"},
            {
                "id": "1445880548472328192",
                "text": "Notre usine à Lyon &amp; ses 200 emplois #industrie\n\nhttps://t.co/abc123",
                "entities": {
                    "urls": [
                        {
                            "start": 56,
                            "end": 79,
                            "url": "https://t.co/abc123",
                            "expanded_url": "https://go.example/abc",
                            "display_url": "go.example/abc",
                        }
                    ]
                },
            },
        ),
    )
    found = network(api).find_post(credentials(user_id="2244994945"), POST)
    assert found is not None and found.remote_id == "1445880548472328192"
    params = api.requests[0].params()
    assert params["max_results"] == "100"
    assert "entities" in params["tweet.fields"]


def test_find_post_reads_every_page_since_the_call(api: FakeApi) -> None:
    api.on(
        "GET",
        "/2/users/2244994945/tweets",
        Reply(200, {"data": [{"id": "1", "text": "a"}], "meta": {"next_token": "page2"}}),
        Reply(200, {"data": [{"id": "2", "text": "b"}], "meta": {"result_count": 1}}),
    )
    since = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert network(api).find_post(credentials(user_id="2244994945"), POST, since) is None
    first, second = (request.params() for request in api.requests)
    assert first["start_time"] == "2026-11-30T11:59:00Z"
    assert second["pagination_token"] == "page2"


def test_find_post_cannot_tell_beyond_its_pages(api: FakeApi) -> None:
    api.on(
        "GET",
        "/2/users/2244994945/tweets",
        Reply(200, {"data": [{"id": "1", "text": "a"}], "meta": {"next_token": "more"}}),
    )
    with pytest.raises(CannotTell):
        network(api).find_post(credentials(user_id="2244994945"), POST)


def test_find_post_when_the_post_is_not_there(api: FakeApi) -> None:
    api.on("GET", "/2/users/me", Reply(200, USER))
    api.on(
        "GET",
        "/2/users/2244994945/tweets",
        recent(
            {
                "id": "9",
                "text": "Notre usine à Lyon &amp; ses 200 emplois #industrie\n\nhttps://t.co/x",
                "entities": {
                    "urls": [{"url": "https://t.co/x", "expanded_url": "https://other.example/"}]
                },
            }
        ),
    )
    assert network(api).find_post(credentials(), POST) is None  # another link


def test_find_post_with_no_recent_posts(api: FakeApi) -> None:
    api.on("GET", "/2/users/2244994945/tweets", Reply(200, {"meta": {"result_count": 0}}))
    assert network(api).find_post(credentials(user_id="2244994945"), POST) is None


def test_metrics_from_older_answers(api: FakeApi) -> None:
    api.on(
        "GET",
        "/2/tweets/1",
        Reply(200, {"data": {"id": "1", "text": "…", "public_metrics": {"retweet_count": 5}}}),
    )
    assert network(api).metrics(credentials(), Published("1", "")).reposts == 5


def test_metrics(api: FakeApi) -> None:
    api.on(
        "GET",
        "/2/tweets/1445880548472328192",
        Reply(
            200,
            {
                "data": {
                    "id": "1445880548472328192",
                    "text": "…",
                    "public_metrics": {
                        "repost_count": 4,
                        "reply_count": 2,
                        "like_count": 17,
                        "quote_count": 1,
                        "bookmark_count": 0,
                        "impression_count": 1520,
                    },
                }
            },
        ),
    )
    found = network(api).metrics(credentials(), Published("1445880548472328192", ""))
    assert (found.likes, found.reposts, found.replies, found.impressions) == (17, 4, 2, 1520)
    assert api.requests[0].params() == {"tweet.fields": "public_metrics"}


def test_unauthorised_needs_reconnection(api: FakeApi) -> None:
    api.on(
        "POST",
        "/2/tweets",
        Reply(
            401,
            {
                "title": "Unauthorized",
                "type": "about:blank",
                "status": 401,
                "detail": "Unauthorized",
            },
        ),
    )
    with pytest.raises(NeedsReconnection):
        network(api).publish(credentials(), POST)


def test_rate_limited_until_the_reset(api: FakeApi) -> None:
    api.on(
        "POST",
        "/2/tweets",
        Reply(
            429,
            {
                "title": "Too Many Requests",
                "detail": "Too Many Requests",
                "type": "about:blank",
                "status": 429,
            },
            headers={
                "x-rate-limit-limit": "100",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": "1893456000",
            },
        ),
    )
    with pytest.raises(RateLimited) as limited:
        network(api).publish(credentials(), POST)
    assert limited.value.until == datetime(2030, 1, 1, tzinfo=UTC)


def test_daily_user_limit_wins(api: FakeApi) -> None:
    api.on(
        "POST",
        "/2/tweets",
        Reply(
            429,
            {"title": "Too Many Requests", "status": 429},
            headers={
                "x-rate-limit-reset": "1893456000",
                "x-user-limit-24hour-remaining": "0",
                "x-user-limit-24hour-reset": "1893500000",
            },
        ),
    )
    with pytest.raises(RateLimited) as limited:
        network(api).publish(credentials(), POST)
    assert limited.value.until == datetime.fromtimestamp(1893500000, UTC)


def test_duplicate_is_rejected_with_x_reason(api: FakeApi) -> None:
    api.on(
        "POST",
        "/2/tweets",
        Reply(
            403,
            {
                "detail": "You are not allowed to create a Tweet with duplicate content.",
                "type": "about:blank",
                "title": "Forbidden",
                "status": 403,
            },
        ),
    )
    with pytest.raises(Rejected) as rejected:
        network(api).publish(credentials(), POST)
    assert "duplicate content" in rejected.value.message


def test_too_long_is_rejected(api: FakeApi) -> None:
    api.on(
        "POST",
        "/2/tweets",
        Reply(
            400,
            {
                "errors": [
                    {
                        "parameters": {"text": ["…"]},
                        "message": "Your Tweet text is too long.",
                    }
                ],
                "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.",
                "type": "https://api.twitter.com/2/problems/invalid-request",
            },
        ),
    )
    with pytest.raises(Rejected) as rejected:
        network(api).publish(credentials(), POST)
    assert "too long" in rejected.value.message


def test_server_error_is_transient(api: FakeApi) -> None:
    api.on("POST", "/2/tweets", Reply(503, {"title": "Service Unavailable", "status": 503}))
    with pytest.raises(Transient) as transient:
        network(api).publish(credentials(), POST)
    assert not transient.value.uncertain


def test_timeout_after_sending_is_uncertain(api: FakeApi, quick_timeout: None) -> None:
    api.on("POST", "/2/tweets", Reply(201, {"data": {"id": "1", "text": "x"}}, delay=1.5))
    with pytest.raises(Transient) as transient:
        network(api).publish(credentials(), POST)
    assert transient.value.uncertain


def test_bad_post_id_is_refused_before_any_call(api: FakeApi) -> None:
    with pytest.raises(Rejected):
        network(api).metrics(credentials(), Published("../../2/users/me", ""))
    assert api.requests == []
