"""Nothing counted twice: a visitor seen by two ingestions running at once, a click that
reached both the Redis stream and the spool file."""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connections

from ambassade.conftest import need_service
from ambassade.tracking import buffer, ingest
from ambassade.tracking.models import Click, DailyLinkStats, DailyVisitor
from ambassade.tracking.tests.conftest import BROWSER, ingest_all


def spool_file(spool: Path, events: list[dict]) -> Path:
    """A closed spool file (last minute's) of a process of its own, holding these events."""
    spool.mkdir(parents=True, exist_ok=True)
    minute = int(time.time()) // 60 - 1
    path = spool / f"{buffer.minute_name(minute)}-host-1-{secrets.token_hex(3)}{buffer.SUFFIX}"
    path.write_bytes(b"".join(buffer.encode(event) for event in events))
    return path


def click_event(link, visitor: str) -> dict:
    return {
        "i": uuid.uuid4().hex,
        "k": "c",
        "t": round(time.time(), 3),
        "c": link.code,
        "l": link.pk,
        "o": link.organisation_id,
        "n": link.network,
        "v": visitor,
        "ua": BROWSER,
    }


# --- Unique visitors under concurrent ingestions ----------------------------------------


def ingest_together(paths: list[Path], monkeypatch) -> None:
    """Each file in a thread of its own; each run holds its transaction open (after its
    batch is stored, before the commit) until the other has stored too, or for at most
    two seconds when the other is waiting on one of its locks."""
    barrier = threading.Barrier(len(paths))
    store = ingest.store

    def store_then_wait(events):
        stored = store(events)
        # Broken: the other run waits for this one's commit.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return stored

    monkeypatch.setattr(ingest, "store", store_then_wait)
    errors: list[BaseException] = []

    def run(path: Path) -> None:
        try:
            ingest.ingest_file(path)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.setattr(ingest, "store", store)
    assert not errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_visitor_in_two_files_ingested_at_once_counts_once(
    make_link, isolated_buffer, monkeypatch
) -> None:
    link = make_link()
    # The day's counters exist already (both runs then add to the same row).
    ingest.ingest_file(spool_file(isolated_buffer, [click_event(link, "0" * 32)]))
    rounds = 4
    for round_ in range(rounds):
        visitor = f"{round_ + 1:032x}"
        paths = [spool_file(isolated_buffer, [click_event(link, visitor)]) for _ in range(2)]
        ingest_together(paths, monkeypatch)
        # Files a run could not take (a lock it lost) are taken by the next one.
        ingest_all()
        counters = DailyLinkStats.objects.get(link=link)
        assert counters.human_clicks == 1 + 2 * (round_ + 1)
        assert counters.unique_visitors == 1 + (round_ + 1)
    assert DailyVisitor.objects.filter(link=link).count() == 1 + rounds


def test_a_visitor_of_an_earlier_file_is_not_new_again(make_link, isolated_buffer) -> None:
    link = make_link()
    other = make_link()
    ingest.ingest_file(spool_file(isolated_buffer, [click_event(link, "a" * 32)]))
    ingest.ingest_file(
        spool_file(
            isolated_buffer,
            [
                click_event(link, "a" * 32),
                click_event(link, "b" * 32),
                click_event(link, "b" * 32),
                click_event(other, "a" * 32),  # another link: a visitor of its own
            ],
        )
    )
    counters = DailyLinkStats.objects.get(link=link)
    assert (counters.human_clicks, counters.unique_visitors) == (4, 2)
    other_counters = DailyLinkStats.objects.get(link=other)
    assert (other_counters.human_clicks, other_counters.unique_visitors) == (1, 1)


# --- A click that reached the database twice --------------------------------------------


def test_a_click_found_in_two_buffers_is_counted_once(make_link, isolated_buffer, browser) -> None:
    link = make_link()
    browser().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    [path] = isolated_buffer.glob("*.jsonl")
    line = path.read_bytes()
    assert json.loads(line)["i"]  # the redirect gave the click its id
    # The same event in a second file (as a retry to another buffer would leave it).
    copy = spool_file(isolated_buffer, [])
    copy.write_bytes(line)
    assert ingest_all() == {"files": 2, "events": 1}
    assert Click.objects.count() == 1
    counters = DailyLinkStats.objects.get(link=link)
    assert (counters.human_clicks, counters.unique_visitors) == (1, 1)


class SlowProxy:
    """A TCP proxy on 127.0.0.1 to Redis whose replies can be held back (``delay``)."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.delay = 0.0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.sockets: list[socket.socket] = [self.server]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            self.sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, replies: bool) -> None:
        try:
            while data := source.recv(65536):
                if replies and self.delay:
                    time.sleep(self.delay)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        for item in self.sockets:
            item.close()


@pytest.mark.redis
@pytest.mark.django_db
def test_a_click_redis_accepted_too_slowly_is_counted_once(
    make_link, isolated_buffer, settings, monkeypatch, browser
) -> None:
    real_url = str(settings.REDIS_URL)
    try:
        buffer._redis().ping()
    except Exception:
        need_service(False, f"Redis at {real_url} does not answer")
    parts = urlsplit(real_url)
    proxy = SlowProxy(parts.hostname or "127.0.0.1", parts.port or 6379)
    key = f"ambassade:test-clicks:{secrets.token_hex(4)}"
    monkeypatch.setattr(buffer, "STREAM_KEY", key)
    monkeypatch.setattr(ingest, "STREAM_CURSOR", f"stream:{key}")
    settings.CLICK_BUFFER = "redis"
    link = make_link()
    try:
        # The buffer's own client (0.25 s timeouts), connected through the proxy.
        settings.REDIS_URL = urlunsplit(parts._replace(netloc=f"127.0.0.1:{proxy.port}"))
        monkeypatch.setattr(buffer, "_redis_client", None)
        buffer._redis().ping()  # connected while Redis answers at once
        proxy.delay = 0.6  # then Redis takes the click but answers after the timeout
        response = browser().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 302
        settings.REDIS_URL = real_url
        monkeypatch.setattr(buffer, "_redis_client", None)
        client = buffer._redis()
        deadline = time.monotonic() + 5
        while client.xlen(key) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.xlen(key) == 1  # Redis has the click...
        assert len(list(isolated_buffer.glob("*.jsonl"))) == 1  # ...and so has the spool
        ingest_all()  # the spool file, then the stream
        assert Click.objects.count() == 1
        counters = DailyLinkStats.objects.get(link=link)
        assert (counters.human_clicks, counters.unique_visitors) == (1, 1)
    finally:
        proxy.close()
        buffer._redis().delete(key)
