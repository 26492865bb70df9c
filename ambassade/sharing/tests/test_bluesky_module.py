"""Bluesky's pure parts: the record key, the link facet in bytes, error classification."""

from __future__ import annotations

import re

from ambassade.sharing.networks.base import (
    NeedsReconnection,
    Post,
    RateLimited,
    Rejected,
    Transient,
)
from ambassade.sharing.networks.bluesky import classify, compose, record_key

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
