"""CLICK_BUFFER=redis: clicks go through a Redis stream, ingested once, trimmed after."""

from __future__ import annotations

import secrets

import pytest

from ambassade.conftest import need_service
from ambassade.tracking import buffer, ingest
from ambassade.tracking.models import Click, DailyLinkStats
from ambassade.tracking.tests.conftest import BROWSER

pytestmark = [pytest.mark.django_db, pytest.mark.redis]
_next_id = ingest._next_id


@pytest.fixture
def stream(settings, monkeypatch):
    client = buffer._redis()
    try:
        client.ping()
    except Exception:
        need_service(False, f"Redis at {settings.REDIS_URL} does not answer")
    key = f"ambassade:test-clicks:{secrets.token_hex(4)}"
    monkeypatch.setattr(buffer, "STREAM_KEY", key)
    monkeypatch.setattr(ingest, "STREAM_CURSOR", f"stream:{key}")
    settings.CLICK_BUFFER = "redis"
    yield client, key
    client.delete(key)


def test_clicks_go_through_the_stream_once(
    make_link, stream, isolated_buffer, monkeypatch, browser
) -> None:
    client, key = stream
    link = make_link()
    browser = browser()
    for _ in range(3):
        browser.get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    assert client.xlen(key) == 3
    assert not isolated_buffer.exists() or not list(isolated_buffer.glob("*.jsonl"))
    # The trim fails after the commit: the next run must not count the entries again.
    monkeypatch.setattr(ingest, "_next_id", lambda entry_id: 1 / 0)
    assert ingest.ingest()["events"] == 3
    assert client.xlen(key) == 3
    monkeypatch.setattr(ingest, "_next_id", _next_id)
    browser.get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    assert ingest.ingest()["events"] == 1
    assert client.xlen(key) == 0
    counters = DailyLinkStats.objects.get(link=link)
    assert (counters.human_clicks, counters.unique_visitors) == (4, 1)
    assert Click.objects.count() == 4


def test_the_spool_takes_over_when_redis_does_not_answer(
    make_link, stream, isolated_buffer, monkeypatch, browser
) -> None:
    class Down:
        def xadd(self, *args, **kwargs):
            raise ConnectionError("redis is down")

    link = make_link()
    monkeypatch.setattr(buffer, "_redis_client", Down())
    assert browser().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER).status_code == 302
    assert len(list(isolated_buffer.glob("*.jsonl"))) == 1
