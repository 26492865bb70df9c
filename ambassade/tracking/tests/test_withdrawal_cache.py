"""A withdrawal is seen everywhere within 5 seconds, even when it commits while another
request is between reading the link's row and writing the links cache."""

from __future__ import annotations

import time
import types

import pytest
from django.core.cache import caches

from ambassade.tracking import actions, lookup
from ambassade.tracking.models import TrackedLink
from ambassade.tracking.tests.conftest import BROWSER

pytestmark = pytest.mark.django_db


def later(monkeypatch, seconds: float) -> None:
    """Moves the lookup's clock forward."""
    now = time.time() + seconds
    monkeypatch.setattr(lookup, "time", types.SimpleNamespace(time=lambda: now))


def test_a_withdrawal_between_the_row_read_and_the_cache_write_is_not_undone(
    make_link, monkeypatch, django_capture_on_commit_callbacks, browser
) -> None:
    link = make_link()
    load = lookup._load

    def read_then_withdrawn(code: str):
        entry = load(code)  # the row, read while the link still leads on
        # Before this request writes the cache, the withdrawal commits and clears it.
        with django_capture_on_commit_callbacks(execute=True):
            actions.withdraw_link(TrackedLink.objects.get(pk=link.pk))
        return entry

    monkeypatch.setattr(lookup, "_load", read_then_withdrawn)
    assert lookup.resolve(link.code)["w"] is None  # this request began before
    monkeypatch.setattr(lookup, "_load", load)
    # Another process (nothing of the link in its memory): the withdrawal already.
    lookup._last_known.clear()
    assert lookup.resolve(link.code)["w"] == "gone"
    lookup._last_known.clear()
    assert browser().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER).status_code == 410


def test_the_process_that_raced_sees_the_withdrawal_within_5_seconds(
    make_link, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    link = make_link()
    load = lookup._load

    def read_then_withdrawn(code: str):
        entry = load(code)
        with django_capture_on_commit_callbacks(execute=True):
            actions.withdraw_link(TrackedLink.objects.get(pk=link.pk))
        return entry

    monkeypatch.setattr(lookup, "_load", read_then_withdrawn)
    lookup.resolve(link.code)
    monkeypatch.setattr(lookup, "_load", load)
    later(monkeypatch, lookup.LOCAL_FRESH_SECONDS + 0.1)
    assert lookup.cached(link.code) is None  # the fast path no longer answers for it
    assert lookup.resolve(link.code)["w"] == "gone"


def test_without_redis_a_withdrawal_by_another_process_is_seen_within_5_seconds(
    make_link, monkeypatch, settings
) -> None:
    if settings.REDIS_URL:
        pytest.skip("with Redis, the withdrawing process clears the shared cache itself")
    link = make_link()
    assert lookup.resolve(link.code)["w"] is None  # in this process's cache
    # Another web process withdraws: its action clears its own memory, not this one's.
    TrackedLink.objects.filter(pk=link.pk).update(withdrawn_at=link.created_at)
    later(monkeypatch, 5.1)
    assert lookup.resolve(link.code)["w"] == "gone"


def test_a_lost_generation_makes_the_entry_stale_not_wrong(
    make_link, django_assert_num_queries
) -> None:
    link = make_link()
    lookup.resolve(link.code)
    lookup._last_known.clear()
    with django_assert_num_queries(0):
        assert lookup.resolve(link.code)["id"] == link.pk  # warm: no query
    caches["links"].delete(f"generation:{link.code}")  # evicted, or expired
    lookup._last_known.clear()
    with django_assert_num_queries(1):
        assert lookup.resolve(link.code)["id"] == link.pk  # read again
    lookup._last_known.clear()
    with django_assert_num_queries(0):
        assert lookup.resolve(link.code)["id"] == link.pk
