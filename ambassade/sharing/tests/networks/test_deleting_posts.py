"""Each network deletes a post through its own API; a post it no longer has is "gone"."""

from __future__ import annotations

import pytest

from ambassade.sharing.networks.base import (
    Credentials,
    Gone,
    NeedsReconnection,
    Published,
    RateLimited,
    Rejected,
    Transient,
)
from ambassade.sharing.networks.bluesky import POST_COLLECTION, Bluesky
from ambassade.sharing.networks.linkedin import LINKEDIN_VERSION, LinkedIn
from ambassade.sharing.networks.mastodon import Mastodon
from ambassade.sharing.networks.x import X
from ambassade.sharing.tests.networks.fake_api import FakeApi, Reply

DID = "did:plc:alice"
RKEY = "3kabcdefghij2"
URI = f"at://{DID}/{POST_COLLECTION}/{RKEY}"


def bluesky(api: FakeApi) -> tuple[Bluesky, Credentials]:
    secrets = {"pds_url": api.url, "did": DID, "access_jwt": "jwt", "handle": "alice.test"}
    return Bluesky({}), Credentials(secrets=secrets)


def test_bluesky_reads_the_record_then_deletes_it(api: FakeApi) -> None:
    network, credentials = bluesky(api)
    api.on("GET", "/xrpc/com.atproto.repo.getRecord", Reply(200, {"uri": URI, "value": {}}))
    api.on("POST", "/xrpc/com.atproto.repo.deleteRecord", Reply(200, {}))
    network.delete(credentials, Published(URI, ""))
    sent = api.only("POST", "/xrpc/com.atproto.repo.deleteRecord")
    assert sent.json() == {"repo": DID, "collection": POST_COLLECTION, "rkey": RKEY}
    assert sent.header("Authorization") == "Bearer jwt"


def test_a_bluesky_record_already_deleted_is_gone_and_nothing_is_deleted(api: FakeApi) -> None:
    network, credentials = bluesky(api)
    api.on(
        "GET",
        "/xrpc/com.atproto.repo.getRecord",
        Reply(400, {"error": "RecordNotFound", "message": "Could not locate record"}),
    )
    with pytest.raises(Gone):
        network.delete(credentials, Published(URI, ""))
    assert not [r for r in api.requests if r.path.endswith("deleteRecord")]


def test_bluesky_refuses_a_record_of_another_repository(api: FakeApi) -> None:
    network, credentials = bluesky(api)
    with pytest.raises(Rejected):
        network.delete(credentials, Published(f"at://did:plc:bob/{POST_COLLECTION}/{RKEY}", ""))
    assert api.requests == []


def test_bluesky_expired_session_needs_reconnection(api: FakeApi) -> None:
    network, credentials = bluesky(api)
    api.on("GET", "/xrpc/com.atproto.repo.getRecord", Reply(400, {"error": "ExpiredToken"}))
    with pytest.raises(NeedsReconnection):
        network.delete(credentials, Published(URI, ""))


def mastodon(api: FakeApi) -> tuple[Mastodon, Credentials]:
    return Mastodon({}), Credentials(secrets={"access_token": "tok", "instance": api.url})


@pytest.mark.parametrize(
    ("status", "raised"),
    [
        (404, Gone),
        (410, Gone),
        (401, NeedsReconnection),
        (429, RateLimited),
        (503, Transient),
    ],
)
def test_mastodon_deletion_failures_map_to_the_kinds(api: FakeApi, status: int, raised) -> None:
    network, credentials = mastodon(api)
    api.on("DELETE", "/api/v1/statuses/1099", Reply(status, {"error": "Record not found"}))
    with pytest.raises(raised):
        network.delete(credentials, Published("1099", ""))


def test_mastodon_deletes_the_status(api: FakeApi) -> None:
    network, credentials = mastodon(api)
    api.on("DELETE", "/api/v1/statuses/1099", Reply(200, {"id": "1099", "text": "x"}))
    network.delete(credentials, Published("1099", ""))
    assert api.only("DELETE", "/api/v1/statuses/1099").header("Authorization") == "Bearer tok"
    with pytest.raises(Rejected):
        network.delete(credentials, Published("../accounts/1", ""))


def x_network(api: FakeApi) -> X:
    return X({"client_id": "c", "client_secret": "s", "api_base": api.url})


def test_x_deletes_the_post_and_says_gone_when_x_no_longer_has_it(api: FakeApi) -> None:
    network, credentials = x_network(api), Credentials(secrets={"access_token": "tok"})
    api.on(
        "DELETE",
        "/2/tweets/1445880548472328192",
        Reply(200, {"data": {"deleted": True}}),
        Reply(200, {"data": {"deleted": False}}),
    )
    network.delete(credentials, Published("1445880548472328192", ""))
    with pytest.raises(Gone):
        network.delete(credentials, Published("1445880548472328192", ""))
    api.on("DELETE", "/2/tweets/1", Reply(404, {"title": "Not Found Error", "detail": "gone"}))
    with pytest.raises(Gone):
        network.delete(credentials, Published("1", ""))
    with pytest.raises(Rejected):
        network.delete(credentials, Published("1/retweets", ""))


def test_linkedin_deletes_the_post_by_its_encoded_urn(api: FakeApi) -> None:
    network = LinkedIn({"client_id": "c", "client_secret": "s", "api_base": api.url})
    credentials = Credentials(secrets={"access_token": "tok"})
    path = "/rest/posts/urn%3Ali%3Ashare%3A6844785523593134080"
    api.on("DELETE", path, Reply(204, None), Reply(404, {"message": "Not found"}))
    network.delete(credentials, Published("urn:li:share:6844785523593134080", ""))
    sent = api.only("DELETE", path)
    assert sent.header("LinkedIn-Version") == LINKEDIN_VERSION
    assert sent.header("X-Restli-Protocol-Version") == "2.0.0"
    assert sent.header("X-RestLi-Method") == "DELETE"
    with pytest.raises(Gone):
        network.delete(credentials, Published("urn:li:share:6844785523593134080", ""))
    with pytest.raises(Rejected):
        network.delete(credentials, Published("urn:li:person:abc", ""))
