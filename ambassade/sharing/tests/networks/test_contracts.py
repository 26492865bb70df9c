"""The requests of the X and Mastodon modules, checked against the networks' contracts.

The OpenAPI documents live in ``../shared/contracts`` beside the repository (X's official
document, the community document of Mastodon's API); they are read from there, never
copied. The modules talk to a fake API on 127.0.0.1 that records every request; each
recorded request is validated against the contract (path, method, parameters, body),
and each fake answer against the contract's response schema, so the fakes cannot drift
from what the networks really send. See docs/decisions/0010-network-contract-tests.md.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import ambassade
from ambassade.conftest import need_service
from ambassade.sharing.networks.base import Post, Published
from ambassade.sharing.networks.mastodon import Mastodon
from ambassade.sharing.networks.x import X
from ambassade.sharing.tests.networks.fake_api import FakeApi, Recorded, Reply, fake_api

CONTRACTS = Path(ambassade.__file__).parents[2] / "shared" / "contracts"
X_SERVER = "https://api.x.com"
MASTODON_SERVER = "https://mastodon.example"
REDIRECT = "https://ambassade.example/me/accounts/oauth/mastodon/callback"
# Requests the contracts do not describe (X's document has no OAuth endpoints).
OUTSIDE_THE_CONTRACT = {("POST", "/2/oauth2/token")}

pytestmark = pytest.mark.filterwarnings("ignore:Unsupported scheme type")  # oauth2 schemes


def _contract(name: str) -> dict[str, Any]:
    path = CONTRACTS / name
    need_service(
        path.is_file(),
        f"the API contract {path} is absent (shared/contracts beside the repository)",
    )
    return dict(json.loads(path.read_text()))


@cache
def _load(name: str) -> dict[str, Any]:
    return _contract(name)


def openapi(name: str) -> Any:
    try:
        import openapi_core
    except ImportError:  # pragma: no cover - a development dependency
        need_service(False, "openapi-core is not installed (pip install -e '.[dev]')")
    spec = copy.deepcopy(_load(name))
    if name == "mastodon.openapi.json":
        # Mastodon's documentation says `redirect_uris` is "String or Array of Strings";
        # the community document narrowed it to an array. The module sends a string,
        # which every Mastodon version, Pleroma, Akkoma and GoToSocial accept.
        apps = spec["paths"]["/api/v1/apps"]["post"]["requestBody"]["content"]
        properties = apps["application/json"]["schema"]["properties"]
        properties["redirect_uris"] = {"anyOf": [{"type": "string"}, properties["redirect_uris"]]}
        # OpenAPI 3.1 validators read a multipart file part as bytes, which a
        # `type: string, format: binary` (the 3.0 idiom kept in this 3.1 document)
        # refuses; 3.1 describes binary content without a type.
        media = spec["paths"]["/api/v2/media"]["post"]["requestBody"]["content"]
        media["multipart/form-data"]["schema"]["properties"]["file"].pop("type")
        # A status with text and media matches both TextStatus and MediaStatus, which
        # the document combines with `oneOf` (exactly one): Mastodon takes both, so the
        # alternatives are read as `anyOf`.
        status = spec["paths"]["/api/v1/statuses"]["post"]["requestBody"]["content"]
        schema = status["application/json"]["schema"]
        schema["anyOf"] = schema.pop("oneOf")
    # The documents themselves are not validated (large, and not ours to fix).
    return openapi_core.OpenAPI.from_dict(spec, config=openapi_core.Config(spec_validator_cls=None))


def _request(recorded: Recorded, server: str) -> Any:
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    headers = {
        name: value
        for name, value in recorded.headers.items()
        if name.lower() not in {"host", "content-length", "content-type"}
    }
    builder = EnvironBuilder(
        base_url=server,
        path=recorded.path,
        query_string=recorded.query,
        method=recorded.method,
        headers=headers,
        data=recorded.body,
        content_type=recorded.header("Content-Type"),
    )
    return WerkzeugOpenAPIRequest(Request(builder.get_environ()))


def _response(reply: Reply) -> Any:
    from openapi_core.contrib.werkzeug import WerkzeugOpenAPIResponse
    from werkzeug.wrappers import Response

    return WerkzeugOpenAPIResponse(
        Response(
            reply.encoded(),
            status=reply.status,
            headers=reply.headers,
            content_type=reply.content_type,
        )
    )


def check_against(contract: Any, api: FakeApi, server: str) -> list[tuple[str, str]]:
    """Validates every request and every fake answer; returns what was checked."""
    checked = []
    for recorded, reply in api.served:
        if (recorded.method, recorded.path) in OUTSIDE_THE_CONTRACT:
            continue
        request = _request(recorded, server)
        contract.validate_request(request)
        contract.validate_response(request, _response(reply))
        checked.append((recorded.method, recorded.path))
    return checked


@pytest.fixture
def served() -> Iterator[FakeApi]:
    with fake_api() as api:
        yield api


# -- X ---------------------------------------------------------------------------------

USER_ID = "2244994945"
TWEET_ID = "1445880548472328192"


def x_user() -> dict[str, Any]:
    return {
        "data": {
            "id": USER_ID,
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


def x_tweet(text: str, **extra: Any) -> dict[str, Any]:
    return {"id": TWEET_ID, "text": text, "edit_history_tweet_ids": [TWEET_ID], **extra}


def test_x_requests_follow_the_contract(served: FakeApi) -> None:
    contract = openapi("x-api-v2.openapi.json")
    post = Post(text="Notre usine à Lyon & ses emplois", link="https://go.example/abc")
    sent = f"{post.text}\n\n{post.link}"
    served.on(
        "POST",
        "/2/oauth2/token",
        Reply(200, {"access_token": "acc", "refresh_token": "r", "expires_in": 7200}),
    )
    served.on("GET", "/2/users/me", Reply(200, x_user()))
    served.on("POST", "/2/tweets", Reply(201, {"data": {"id": TWEET_ID, "text": sent}}))
    served.on(
        "GET",
        f"/2/users/{USER_ID}/tweets",
        Reply(
            200,
            {
                "data": [
                    x_tweet(
                        "Notre usine à Lyon &amp; ses emplois\n\nhttps://t.co/abc123",
                        created_at="2026-11-22T10:00:00.000Z",
                        entities={
                            "urls": [
                                {
                                    "start": 38,
                                    "end": 61,
                                    "url": "https://t.co/abc123",
                                    "expanded_url": post.link,
                                    "display_url": "go.example/abc",
                                }
                            ]
                        },
                    )
                ],
                "meta": {"result_count": 1, "newest_id": TWEET_ID, "oldest_id": TWEET_ID},
            },
        ),
    )
    served.on(
        "GET",
        f"/2/tweets/{TWEET_ID}",
        Reply(
            200,
            {
                "data": x_tweet(
                    sent,
                    public_metrics={
                        "repost_count": 4,
                        "reply_count": 2,
                        "like_count": 17,
                        "quote_count": 1,
                        "bookmark_count": 0,
                        "impression_count": 1520,
                    },
                )
            },
        ),
    )
    x = X({"client_id": "c", "client_secret": "s", "api_base": served.url})
    credentials = x.exchange_code(code="code", redirect_uri=REDIRECT, code_verifier="v" * 43)
    x.identity(credentials)
    x.publish(credentials, post)
    assert x.find_post(credentials, post) is not None
    since = datetime(2026, 11, 22, 9, 59, tzinfo=UTC)
    assert x.find_post(credentials, post, since) is not None
    assert served.requests[-1].params()["start_time"] == "2026-11-22T09:58:00Z"
    x.metrics(credentials, Published(TWEET_ID, ""))

    checked = check_against(contract, served, X_SERVER)
    assert set(checked) == {
        ("GET", "/2/users/me"),
        ("POST", "/2/tweets"),
        ("GET", f"/2/users/{USER_ID}/tweets"),
        ("GET", f"/2/tweets/{TWEET_ID}"),
    }


def test_the_x_contract_catches_a_wrong_request(served: FakeApi) -> None:
    """The check is real: a body X does not know, or a field it does not have, fails."""
    from openapi_core.validation.request.exceptions import RequestValidationError

    contract = openapi("x-api-v2.openapi.json")
    served.on("POST", "/2/tweets", Reply(201, {"data": {"id": TWEET_ID, "text": "x"}}))
    served.on("GET", "/2/users/me", Reply(200, x_user()))
    X({"api_base": served.url})._call("/2/tweets", method="POST", token="t", payload={"text": 42})
    with pytest.raises(RequestValidationError):
        check_against(contract, served, X_SERVER)
    served.served.clear()
    X({"api_base": served.url})._call("/2/users/me", token="t", query={"user.fields": "shoe_size"})
    with pytest.raises(RequestValidationError):
        check_against(contract, served, X_SERVER)


def test_the_x_contract_catches_a_dishonest_fake(served: FakeApi) -> None:
    from openapi_core.validation.response.exceptions import ResponseValidationError

    contract = openapi("x-api-v2.openapi.json")
    served.on("GET", "/2/users/me", Reply(200, {"data": {"id": 2244994945}}))
    X({"api_base": served.url})._call("/2/users/me", token="t")
    with pytest.raises(ResponseValidationError):
        check_against(contract, served, X_SERVER)


# -- Mastodon ----------------------------------------------------------------------------


def mastodon_account(**extra: Any) -> dict[str, Any]:
    return {
        "id": "14715",
        "username": "alice",
        "acct": "alice",
        "display_name": "Alice",
        "locked": False,
        "bot": False,
        "group": False,
        "discoverable": True,
        "indexable": True,
        "created_at": "2016-11-24T00:00:00.000Z",
        "note": "<p>Hello</p>",
        "url": "https://mastodon.example/@alice",
        "uri": "https://mastodon.example/users/alice",
        "avatar": "https://files.mastodon.example/avatars/original/missing.png",
        "avatar_static": "https://files.mastodon.example/avatars/original/missing.png",
        "header": "https://files.mastodon.example/headers/original/missing.png",
        "header_static": "https://files.mastodon.example/headers/original/missing.png",
        "followers_count": 321,
        "following_count": 12,
        "statuses_count": 40,
        "last_status_at": "2026-11-20",
        "emojis": [],
        "fields": [],
        **extra,
    }


def mastodon_status(status_id: str, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": status_id,
        "created_at": "2026-11-22T10:00:00.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "fr",
        "uri": f"https://mastodon.example/users/alice/statuses/{status_id}",
        "url": f"https://mastodon.example/@alice/{status_id}",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "content": f"<p>{text}</p>",
        "reblog": None,
        "account": mastodon_account(),
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "card": None,
        "poll": None,
        **extra,
    }


def test_mastodon_requests_follow_the_contract(served: FakeApi) -> None:
    contract = openapi("mastodon.openapi.json")
    post = Post(
        text="Notre usine à Lyon & ses emplois",
        link="https://go.example/abc",
        title="Notre usine",
        image=b"\x89PNG\r\n\x1a\n fake",
        image_type="image/png",
        idempotency_key="target-42",
        language="fr",
    )
    status_id = "103704874086360371"
    served.on(
        "POST",
        "/api/v1/apps",
        Reply(
            200,
            {
                "id": "563419",
                "name": "Ambassade",
                "website": "https://github.com/ambassade",
                "scopes": ["write:statuses", "write:media", "read:accounts", "read:statuses"],
                "redirect_uri": REDIRECT,
                "redirect_uris": [REDIRECT],
                "client_id": "TWhM-tNSuncnqN7DBJmoyeLnk6K3iJJ71KKXxgL1hPM",
                "client_secret": "ZEaFUFmF0umgBX1qKJDjaU99Q31lDkOU8NutzTOoliw",
                "client_secret_expires_at": 0,
                "vapid_key": (
                    "BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4Ukk"
                    "DTpaZwozy0TzdZ2M="
                ),
            },
        ),
    )
    served.on(
        "POST",
        "/oauth/token",
        Reply(
            200,
            {
                "access_token": "ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0",
                "token_type": "Bearer",
                "scope": "write:statuses write:media read:accounts read:statuses",
                "created_at": 1573979017,
            },
        ),
    )
    served.on(
        "GET",
        "/api/v1/accounts/verify_credentials",
        Reply(
            200,
            mastodon_account(
                source={
                    "privacy": "public",
                    "sensitive": False,
                    "language": "fr",
                    "note": "Hello",
                    "fields": [],
                    "follow_requests_count": 0,
                    "indexable": True,
                },
                role={
                    "id": "-99",
                    "name": "",
                    "permissions": "0",
                    "color": "",
                    "highlighted": False,
                },
            ),
        ),
    )
    media: dict[str, Any] = {
        "id": "22348641",
        "type": "image",
        "url": None,
        "preview_url": None,
        "remote_url": None,
        "text_url": None,
        "meta": None,
        "description": "Notre usine",
        "blurhash": None,
    }
    files = "https://files.mastodon.example/media_attachments/files/022/348/641"
    processed: dict[str, Any] = {
        **media,
        "url": f"{files}/original/e96382f26c72a29c.png",
        "preview_url": f"{files}/small/e96382f26c72a29c.png",
        "meta": {},
        "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}",
    }
    served.on("POST", "/api/v2/media", Reply(202, media))
    served.on("GET", "/api/v1/media/22348641", Reply(206, media), Reply(200, processed))
    served.on("POST", "/api/v1/statuses", Reply(200, mastodon_status(status_id, post.text)))
    linked = f'{post.text} <a href="{post.link}" rel="nofollow noopener">go.example/abc</a>'
    served.on(
        "GET",
        "/api/v1/accounts/14715/statuses",
        Reply(200, [mastodon_status("103704874086360372", "Autre chose")]),
        Reply(200, [mastodon_status(status_id, linked)]),
    )
    served.on(
        "GET",
        f"/api/v1/statuses/{status_id}",
        Reply(200, mastodon_status(status_id, post.text, favourites_count=12, reblogs_count=3)),
    )

    mastodon = Mastodon({"media_poll_seconds": 0.01})
    authorize = mastodon.authorization_url(
        redirect_uri=REDIRECT, state="st", code_verifier="v" * 50, instance=served.url
    )
    credentials = mastodon.exchange_code(
        code="code", redirect_uri=REDIRECT, code_verifier="v" * 50, instance=served.url
    )
    mastodon.identity(credentials)
    mastodon.publish(credentials, post)
    assert mastodon.find_post(credentials, post) is None  # read, not posted again
    found = mastodon.find_post(credentials, post, datetime(2026, 11, 22, 9, 59, tzinfo=UTC))
    assert found is not None and found.remote_id == status_id
    mastodon.metrics(credentials, Published(status_id, ""))

    checked = check_against(contract, served, MASTODON_SERVER)
    assert checked == [
        ("POST", "/api/v1/apps"),
        ("POST", "/oauth/token"),
        ("GET", "/api/v1/accounts/verify_credentials"),
        ("POST", "/api/v2/media"),
        ("GET", "/api/v1/media/22348641"),
        ("GET", "/api/v1/media/22348641"),
        ("POST", "/api/v1/statuses"),
        ("GET", "/api/v1/accounts/verify_credentials"),
        ("GET", "/api/v1/accounts/14715/statuses"),
        ("GET", "/api/v1/accounts/verify_credentials"),
        ("GET", "/api/v1/accounts/14715/statuses"),
        ("GET", f"/api/v1/statuses/{status_id}"),
    ]
    # The browser's visit to the authorisation page follows the contract too.
    parts = urlsplit(authorize)
    contract.validate_request(
        _request(Recorded("GET", parts.path, parts.query, {}, b""), MASTODON_SERVER)
    )


def test_the_mastodon_contract_catches_a_status_without_text(served: FakeApi) -> None:
    from openapi_core.validation.request.exceptions import RequestValidationError

    contract = openapi("mastodon.openapi.json")
    served.on("POST", "/api/v1/statuses", Reply(200, mastodon_status("1", "x")))
    Mastodon({})._call(
        f"{served.url}/api/v1/statuses", method="POST", token="t", payload={"visibility": "public"}
    )
    with pytest.raises(RequestValidationError):
        check_against(contract, served, MASTODON_SERVER)


# -- Deleting a post ---------------------------------------------------------------------


def test_deleting_on_x_follows_the_contract(served: FakeApi) -> None:
    from ambassade.sharing.networks.base import Credentials, Gone

    contract = openapi("x-api-v2.openapi.json")
    served.on(
        "DELETE",
        f"/2/tweets/{TWEET_ID}",
        Reply(200, {"data": {"deleted": True}}),
        Reply(200, {"data": {"deleted": False}}),
    )
    x = X({"client_id": "c", "client_secret": "s", "api_base": served.url})
    credentials = Credentials(secrets={"access_token": "acc"})
    x.delete(credentials, Published(TWEET_ID, ""))
    with pytest.raises(Gone):
        x.delete(credentials, Published(TWEET_ID, ""))
    checked = check_against(contract, served, X_SERVER)
    assert checked == [("DELETE", f"/2/tweets/{TWEET_ID}")] * 2


def test_deleting_on_mastodon_follows_the_contract(served: FakeApi) -> None:
    from ambassade.sharing.networks.base import Credentials, Gone

    contract = openapi("mastodon.openapi.json")
    status_id = "103704874086360371"
    served.on(
        "DELETE",
        f"/api/v1/statuses/{status_id}",
        Reply(200, mastodon_status(status_id, "Notre usine")),
        Reply(404, {"error": "Record not found"}),
    )
    credentials = Credentials(secrets={"access_token": "acc", "instance": served.url})
    Mastodon({}).delete(credentials, Published(status_id, ""))
    with pytest.raises(Gone):
        Mastodon({}).delete(credentials, Published(status_id, ""))
    checked = check_against(contract, served, MASTODON_SERVER)
    assert checked == [("DELETE", f"/api/v1/statuses/{status_id}")] * 2
