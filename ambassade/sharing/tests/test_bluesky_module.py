"""Bluesky's pure parts: the record key, the link facet in bytes, error classification."""

from __future__ import annotations

import re

import pytest

from ambassade.sharing.networks.base import (
    Credentials,
    NeedsReconnection,
    Post,
    RateLimited,
    Rejected,
    Transient,
)
from ambassade.sharing.networks.bluesky import Bluesky, classify, compose, record_key
from ambassade.sharing.tests.networks.fake_api import Reply, fake_api

TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def test_record_key_is_a_stable_tid() -> None:
    key = record_key("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    assert TID.match(key)
    assert key == record_key("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    assert key != record_key("another")


def test_link_facet_uses_utf8_byte_offsets() -> None:
    text, facets = compose(Post(text="Équipe 🚀 géniale", link="https://s.example/r/Ab3"))
    raw = text.encode("utf-8")
    index = facets[0]["index"]
    assert raw[index["byteStart"] : index["byteEnd"]] == b"https://s.example/r/Ab3"
    assert index["byteStart"] != text.index("https://")  # bytes, not characters


def test_errors_fall_into_the_four_kinds() -> None:
    assert isinstance(classify(400, b'{"error":"ExpiredToken"}'), NeedsReconnection)
    limited = classify(429, b"{}", {"ratelimit-reset": "1900000000"})
    assert isinstance(limited, RateLimited) and limited.until.year == 2030
    assert isinstance(classify(400, b'{"error":"InvalidRequest","message":"too long"}'), Rejected)
    failed = classify(502, b"")
    assert isinstance(failed, Transient) and failed.uncertain
    unsent = classify(503, b"", sent=False)
    assert isinstance(unsent, Transient) and not unsent.uncertain


SESSION = {
    "did": "did:plc:alice",
    "handle": "alice.test",
    "access_jwt": "acc",
    "refresh_jwt": "ref",
    "app_password": "app",
}


def test_find_post_is_certain_only_on_record_not_found() -> None:
    network = Bluesky()
    post = Post(text="Hi", link="https://s.example/r/Ab3", idempotency_key="key-1")
    missing = {"error": "RecordNotFound", "message": "Could not locate record"}
    with fake_api() as api:
        credentials = Credentials(secrets={**SESSION, "pds_url": api.url})
        api.on("GET", "/xrpc/com.atproto.repo.getRecord", Reply(400, missing))
        assert network.find_post(credentials, post) is None
        api.on("GET", "/xrpc/com.atproto.repo.getRecord", Reply(400, {"error": "InvalidRequest"}))
        with pytest.raises(Rejected):  # not a "not there": the engine leaves it to verify
            network.find_post(credentials, post)


def test_a_stored_account_without_a_session_needs_reconnection_without_a_call() -> None:
    nothing = Credentials(secrets={"demo": "no session"})
    for call in (
        Bluesky().identity,
        Bluesky().refresh,
        lambda c: Bluesky().find_post(c, Post(text="", link="")),
    ):
        with pytest.raises(NeedsReconnection):
            call(nothing)
