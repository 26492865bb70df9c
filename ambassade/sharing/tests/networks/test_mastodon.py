"""Mastodon: app registration, OAuth, publishing with an Idempotency-Key, the four kinds."""

from __future__ import annotations

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
from ambassade.sharing.networks.mastodon import (
    SCOPES,
    Mastodon,
    normalise_instance,
)
from ambassade.sharing.networks.x import pkce_challenge
from ambassade.sharing.tests.networks.fake_api import FakeApi, Recorded, Reply

REDIRECT = "https://ambassade.example/me/accounts/oauth/mastodon/callback"
APP = {
    "id": "563419",
    "name": "Ambassade",
    "website": "https://github.com/ambassade",
    "scopes": SCOPES.split(),
    "redirect_uris": [REDIRECT],
    "redirect_uri": REDIRECT,
    "client_id": "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM",
    "client_secret": "ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw",
    "client_secret_expires_at": 0,
}


def account(**extra: object) -> dict[str, object]:
    return {
        "id": "14715",
        "username": "alice",
        "acct": "alice",
        "display_name": "Alice",
        "url": "https://mastodon.example/@alice",
        "followers_count": 321,
        **extra,
    }


def status(status_id: str = "103704874086360371", **extra: object) -> dict[str, object]:
    return {
        "id": status_id,
        "uri": f"https://mastodon.example/users/alice/statuses/{status_id}",
        "url": f"https://mastodon.example/@alice/{status_id}",
        "content": "<p>Hello</p>",
        "visibility": "public",
        "favourites_count": 0,
        "reblogs_count": 0,
        "replies_count": 0,
        **extra,
    }


def network(api: FakeApi, **config: object) -> Mastodon:
    return Mastodon({**config})


def credentials(api: FakeApi) -> Credentials:
    return Credentials(secrets={"access_token": "tok", "instance": api.url, "client_id": "c"})


POST = Post(
    text="Notre nouvelle usine à Lyon ouvre ses portes 🎉",
    link="https://go.example/abc",
    title="Nouvelle usine",
    idempotency_key="target-42-7f3a",
    language="fr",
)


def test_registered_with_its_code() -> None:
    assert REGISTRY["mastodon"] is Mastodon
    assert Mastodon.limits.max_length == 500
    assert Mastodon.limits.url_length == 23


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mastodon.social", "https://mastodon.social"),
        ("https://Piaille.fr/", "https://piaille.fr"),
        ("@alice@mastodon.social", "https://mastodon.social"),
        ("alice@mastodon.social", "https://mastodon.social"),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123"),
    ],
)
def test_instance_from_what_a_person_types(typed: str, expected: str) -> None:
    assert normalise_instance(typed) == expected


def test_instance_that_is_not_an_address() -> None:
    with pytest.raises(Rejected):
        normalise_instance("ftp://files.example")


def test_registers_the_app_then_authorises_with_pkce(api: FakeApi) -> None:
    api.on("POST", "/api/v1/apps", Reply(200, APP))
    mastodon = network(api)
    app = mastodon.register_app(api.url, REDIRECT)
    assert app["client_id"] == APP["client_id"]
    assert app["instance"] == api.url
    sent = api.only("POST", "/api/v1/apps").json()
    assert sent["client_name"] == "Ambassade"
    assert sent["redirect_uris"] == REDIRECT
    assert set(sent["scopes"].split()) >= {"write:statuses", "read:accounts"}
    assert sent["website"]

    stored = {}

    def app_for(instance: str, redirect_uri: str) -> dict[str, str]:
        stored[(instance, redirect_uri)] = app
        return app

    mastodon = network(api, app_for=app_for)
    url = mastodon.authorization_url(
        redirect_uri=REDIRECT, state="st", code_verifier="v" * 50, instance=api.url
    )
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert url.startswith(f"{api.url}/oauth/authorize?")
    assert query["client_id"] == APP["client_id"]
    assert query["response_type"] == "code"
    assert query["code_challenge"] == pkce_challenge("v" * 50)
    assert query["code_challenge_method"] == "S256"
    assert query["state"] == "st"
    assert len(api.requests) == 1  # the stored app was used, not registered again


def test_exchanges_the_code(api: FakeApi) -> None:
    api.on("POST", "/api/v1/apps", Reply(200, APP))
    api.on(
        "POST",
        "/oauth/token",
        Reply(200, {"access_token": "ZA-Yj3", "token_type": "Bearer", "scope": SCOPES}),
    )
    mastodon = network(api)
    result = mastodon.exchange_code(
        code="the-code", redirect_uri=REDIRECT, code_verifier="v" * 50, instance=api.url
    )
    assert result.secrets["access_token"] == "ZA-Yj3"
    assert result.secrets["instance"] == api.url
    sent = api.only("POST", "/oauth/token").json()
    assert sent == {
        "grant_type": "authorization_code",
        "code": "the-code",
        "client_id": APP["client_id"],
        "client_secret": APP["client_secret"],
        "redirect_uri": REDIRECT,
        "code_verifier": "v" * 50,
    }


def test_identity_and_audience(api: FakeApi) -> None:
    api.on("GET", "/api/v1/accounts/verify_credentials", Reply(200, account()))
    found = network(api).identity(credentials(api))
    assert found.handle == "@alice@127.0.0.1"
    assert found.audience == 321
    assert api.requests[0].header("Authorization") == "Bearer tok"


def test_publishes_with_the_idempotency_key(api: FakeApi) -> None:
    api.on("POST", "/api/v1/statuses", Reply(200, status()))
    published = network(api).publish(credentials(api), POST)
    assert published.remote_id == "103704874086360371"
    assert published.url == "https://mastodon.example/@alice/103704874086360371"
    sent = api.only("POST", "/api/v1/statuses")
    assert sent.header("Idempotency-Key") == "target-42-7f3a"
    assert sent.header("Authorization") == "Bearer tok"
    assert sent.json() == {
        "status": f"{POST.text}\n\n{POST.link}",
        "visibility": "public",
        "language": "fr",
    }


def test_a_link_already_in_the_text_is_not_added_twice(api: FakeApi) -> None:
    api.on("POST", "/api/v1/statuses", Reply(200, status()))
    post = Post(text="Lisez https://go.example/abc !", link="https://go.example/abc")
    network(api).publish(credentials(api), post)
    assert api.requests[0].json()["status"] == "Lisez https://go.example/abc !"


MEDIA = {"id": "22348641", "type": "image", "url": "https://files.example/1.png"}


def test_uploads_the_image_first(api: FakeApi) -> None:
    api.on("POST", "/api/v2/media", Reply(200, MEDIA))
    api.on("POST", "/api/v1/statuses", Reply(200, status()))
    post = Post(text="Hi", link="https://go.example/a", image=b"\x89PNG...", image_type="image/png")
    network(api).publish(credentials(api), post)
    upload = api.only("POST", "/api/v2/media")
    assert upload.header("Content-Type").startswith("multipart/form-data; boundary=")
    assert b'filename="image.png"' in upload.body
    assert b"\x89PNG..." in upload.body
    assert api.only("POST", "/api/v1/statuses").json()["media_ids"] == ["22348641"]


def test_find_post_reads_the_timeline_and_never_posts(api: FakeApi, quick_timeout: None) -> None:
    """The first answer comes too late (the instance did post, after our timeout): the
    look-up reads the account's statuses and recognises the post by its link."""
    created: list[dict[str, object]] = []

    def slow(request: Recorded) -> Reply:
        created.append(status(content=f'<p>Hi <a href="{POST.link}">go.example/abc</a></p>'))
        return Reply(200, created[-1], delay=1.5)

    api.on("POST", "/api/v1/statuses", slow)
    api.on("GET", "/api/v1/accounts/verify_credentials", Reply(200, account()))
    api.on("GET", "/api/v1/accounts/14715/statuses", lambda request: Reply(200, created))
    mastodon = network(api)
    with pytest.raises(Transient) as uncertain:
        mastodon.publish(credentials(api), POST)
    assert uncertain.value.uncertain
    found = mastodon.find_post(credentials(api), POST)
    assert found is not None and found.remote_id == "103704874086360371"
    assert [r.method for r in api.requests] == ["POST", "GET", "GET"]
    params = api.requests[-1].params()
    assert (params["limit"], params["exclude_reblogs"]) == ("40", "true")


def test_find_post_says_not_there_once_read_back_to_the_call(api: FakeApi) -> None:
    older = status("1", content="<p>Old</p>", created_at="2026-11-01T10:00:00.000Z")
    api.on("GET", "/api/v1/accounts/verify_credentials", Reply(200, account()))
    api.on("GET", "/api/v1/accounts/14715/statuses", Reply(200, [older] * 40))
    since = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert network(api).find_post(credentials(api), POST, since) is None
    assert len(api.requests) == 2  # one page was enough


def test_find_post_cannot_tell_beyond_its_pages(api: FakeApi) -> None:
    recent = status("2", content="<p>Other</p>", created_at="2026-11-30T13:00:00.000Z")
    api.on("GET", "/api/v1/accounts/verify_credentials", Reply(200, account()))
    api.on("GET", "/api/v1/accounts/14715/statuses", Reply(200, [recent] * 40))
    since = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    with pytest.raises(CannotTell):
        network(api).find_post(credentials(api), POST, since)


def test_metrics(api: FakeApi) -> None:
    api.on(
        "GET",
        "/api/v1/statuses/103704874086360371",
        Reply(200, status(favourites_count=12, reblogs_count=3, replies_count=2)),
    )
    found = network(api).metrics(
        credentials(api), Published("103704874086360371", "https://mastodon.example/@alice/1")
    )
    assert (found.likes, found.reposts, found.replies, found.impressions) == (12, 3, 2, None)


def test_instance_limits(api: FakeApi) -> None:
    api.on(
        "GET",
        "/api/v2/instance",
        Reply(
            200,
            {
                "domain": "127.0.0.1",
                "configuration": {
                    "statuses": {"max_characters": 5000, "characters_reserved_per_url": 23}
                },
            },
        ),
    )
    assert network(api).instance_limits(api.url).max_length == 5000


def test_instance_limits_default_when_unknown(api: FakeApi) -> None:
    assert network(api).instance_limits(api.url).max_length == 500


def test_unauthorised_needs_reconnection(api: FakeApi) -> None:
    api.on("POST", "/api/v1/statuses", Reply(401, {"error": "The access token is invalid"}))
    with pytest.raises(NeedsReconnection):
        network(api).publish(credentials(api), POST)


def test_rate_limited_until_the_reset(api: FakeApi) -> None:
    api.on(
        "POST",
        "/api/v1/statuses",
        Reply(
            429,
            {"error": "Too many requests"},
            headers={"X-RateLimit-Reset": "2030-01-02T03:04:05.000Z"},
        ),
    )
    with pytest.raises(RateLimited) as limited:
        network(api).publish(credentials(api), POST)
    assert limited.value.until == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_rejected_with_the_instance_reason(api: FakeApi) -> None:
    api.on(
        "POST",
        "/api/v1/statuses",
        Reply(422, {"error": "Validation failed: Text character limit of 500 exceeded"}),
    )
    with pytest.raises(Rejected) as rejected:
        network(api).publish(credentials(api), POST)
    assert "character limit of 500 exceeded" in rejected.value.message


def test_server_error_is_transient_and_certain(api: FakeApi) -> None:
    api.on("POST", "/api/v1/statuses", Reply(503, {"error": "Unavailable"}))
    with pytest.raises(Transient) as transient:
        network(api).publish(credentials(api), POST)
    assert not transient.value.uncertain


def test_refresh_keeps_the_token_and_missing_token_needs_reconnection() -> None:
    kept = Credentials(secrets={"access_token": "t", "instance": "mastodon.social"})
    assert Mastodon().refresh(kept) is kept
    with pytest.raises(NeedsReconnection):
        Mastodon().refresh(Credentials())


def test_private_address_is_refused_without_permission(api: FakeApi) -> None:
    with pytest.raises(Rejected):
        Mastodon().register_app(api.url, REDIRECT)  # 127.0.0.1 not allowed


def test_waits_for_the_image_to_be_processed(api: FakeApi) -> None:
    processing = {**MEDIA, "url": None}
    api.on("POST", "/api/v2/media", Reply(202, processing))
    api.on("GET", "/api/v1/media/22348641", Reply(206, processing), Reply(200, MEDIA))
    api.on("POST", "/api/v1/statuses", Reply(200, status()))
    post = Post(text="Hi", link="https://go.example/a", image=b"img", image_type="image/jpeg")
    network(api, media_poll_seconds=0.01).publish(credentials(api), post)
    assert [r.path for r in api.requests].count("/api/v1/media/22348641") == 2
    assert api.only("POST", "/api/v1/statuses").json()["media_ids"] == ["22348641"]


def test_an_image_still_processing_is_transient_and_nothing_is_posted(api: FakeApi) -> None:
    processing = {**MEDIA, "url": None}
    api.on("POST", "/api/v2/media", Reply(202, processing))
    api.on("GET", "/api/v1/media/22348641", Reply(206, processing))
    post = Post(text="Hi", link="https://go.example/a", image=b"img", image_type="image/jpeg")
    with pytest.raises(Transient) as transient:
        network(api, media_poll_seconds=0.01, media_polls=2).publish(credentials(api), post)
    assert not transient.value.uncertain
    assert all(r.path != "/api/v1/statuses" for r in api.requests)
