"""The buffer and the batch writes: closed files only, idempotent, counters = direct counts."""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from pathlib import Path

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.test import Client

from ambassade.tracking import buffer, ingest
from ambassade.tracking.models import Click, DailyLinkStats, IngestedBatch
from ambassade.tracking.tests.conftest import BROWSER, ingest_all

pytestmark = pytest.mark.django_db

AGENTS = [
    BROWSER,
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "LinkedInBot/1.0",
    "curl/8.0",
]


def spool_files(spool: Path) -> list[Path]:
    return sorted(spool.glob("*.jsonl")) if spool.exists() else []


def test_clicks_wait_in_the_spool_until_their_minute_is_over(make_link, isolated_buffer) -> None:
    link = make_link()
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    [path] = spool_files(isolated_buffer)
    line = json.loads(path.read_text())
    assert "203.0.113" not in path.read_text() and "127.0.0.1" not in path.read_text()
    assert line["l"] == link.pk and line["k"] == "c"
    assert ingest.ingest() == {"files": 0, "events": 0}  # the minute is still open
    assert ingest_all() == {"files": 1, "events": 1}
    assert spool_files(isolated_buffer) == []


def test_ingesting_twice_counts_once(make_link, isolated_buffer) -> None:
    link = make_link()
    client = Client()
    for _ in range(3):
        client.get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    [path] = spool_files(isolated_buffer)
    kept = path.read_bytes()
    ingest_all()
    # A crash between the commit and the deletion: the same file is found again.
    path.write_bytes(kept)
    assert ingest_all() == {"files": 1, "events": 0}
    assert not path.exists()
    counters = DailyLinkStats.objects.get(link=link)
    assert (counters.human_clicks, counters.unique_visitors) == (3, 1)
    assert Click.objects.count() == 3


def test_a_failed_ingestion_leaves_the_file_for_the_next_run(
    make_link, isolated_buffer, monkeypatch
) -> None:
    link = make_link()
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)

    def broken(events):
        from django.db import OperationalError

        raise OperationalError("the database went away")

    monkeypatch.setattr(ingest, "store", broken)
    assert ingest_all() == {"files": 0, "events": 0}
    assert len(spool_files(isolated_buffer)) == 1
    assert not IngestedBatch.objects.exists()
    monkeypatch.undo()
    assert ingest_all()["events"] == 1


def test_torn_and_foreign_lines_are_skipped(make_link, isolated_buffer) -> None:
    link = make_link()
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    [path] = spool_files(isolated_buffer)
    with path.open("ab") as handle:
        handle.write(b'{"k":"c","l":99999999,"t":1}\n[1,2]\n{"k":"c","t":"x"}\nnot json\n{"k":')
    (isolated_buffer / "README.txt").write_text("not ours")
    assert ingest_all()["events"] == 1
    assert (isolated_buffer / "README.txt").exists()


def test_batch_counters_equal_direct_counts(persona, make_link, isolated_buffer) -> None:
    links = [make_link(network=network) for network in ("linkedin", "x", "bluesky")]
    rng = random.Random(7)
    client = Client()
    for _ in range(300):
        link = rng.choice(links)
        headers = {
            "HTTP_USER_AGENT": rng.choice(AGENTS),
            "REMOTE_ADDR": f"198.51.100.{rng.randint(1, 25)}",
        }
        if rng.random() < 0.1:
            headers["HTTP_SEC_PURPOSE"] = "prefetch"
        client.get(f"/r/{link.code}", **headers)
    # Small batches, so that visitors span several of them.
    ingest.CHUNK, previous = 17, ingest.CHUNK
    try:
        ingest_all()
    finally:
        ingest.CHUNK = previous
    for link in links:
        direct = Click.objects.filter(link=link).aggregate(
            human=Count("id", filter=Q(is_human=True)),
            unique=Count("visitor", filter=Q(is_human=True), distinct=True),
            previews=Count("id", filter=Q(is_preview=True)),
            bots=Count("id", filter=Q(is_bot=True) | Q(is_head=True, is_preview=False)),
            prefetches=Count("id", filter=Q(is_prefetch=True)),
        )
        counters = DailyLinkStats.objects.get(link=link)
        assert counters.human_clicks == direct["human"]
        assert counters.unique_visitors == direct["unique"]
        assert counters.previews == direct["previews"]
        assert counters.bots == direct["bots"]
        assert counters.prefetches == direct["prefetches"]
    assert sum(DailyLinkStats.objects.values_list("human_clicks", flat=True)) > 100


def test_the_writer_opens_one_file_per_process_and_minute(tmp_path, monkeypatch) -> None:
    writer = buffer.SpoolWriter(tmp_path)
    moments = iter([600.0, 610.0, 660.0, 661.0])
    monkeypatch.setattr(buffer.time, "time", lambda: next(moments))
    for _ in range(4):
        writer.append(b"{}\n")
    names = sorted(path.name for path in tmp_path.iterdir())
    assert len(names) == 2
    assert names[0].startswith("19700101T0010-") and names[1].startswith("19700101T0011-")
    assert f"-{os.getpid()}-" in names[0]
    assert [buffer.minute_of(name) for name in names] == [10, 11]


def _events(spool: Path) -> list[str]:
    return [json.loads(line)["i"] for path in spool.glob("*.jsonl") for line in path.open()]


def test_events_of_a_loops_turn_are_written_together_at_its_end(isolated_buffer) -> None:
    seen: list[list[str]] = []

    async def turn() -> None:
        for number in range(3):
            buffer.hand_over({"i": str(number)}, batched=True)
        seen.append(_events(isolated_buffer))  # not yet: the turn is not over
        await asyncio.sleep(0)
        seen.append(_events(isolated_buffer))

    asyncio.run(turn())
    assert seen == [[], ["0", "1", "2"]]
    assert len(list(isolated_buffer.glob("*.jsonl"))) == 1


def test_events_of_a_loop_stopped_before_its_turn_ended_are_not_lost(isolated_buffer) -> None:
    loop = asyncio.new_event_loop()

    def last_turn() -> None:
        buffer.hand_over({"i": "in the last turn"}, batched=True)
        loop.stop()  # the loop stops before the turn's writing runs

    loop.call_soon(last_turn)
    loop.run_forever()
    loop.close()
    assert _events(isolated_buffer) == []
    buffer.hand_over({"i": "next"}, batched=True)  # the same thread, no loop running
    assert _events(isolated_buffer) == ["in the last turn", "next"]


def test_the_periodic_job_is_registered() -> None:
    from ambassade.core.periodic import REGISTRY

    jobs = {name: job.interval.total_seconds() for name, job in REGISTRY.items()}
    assert jobs["ambassade.tracking.tasks.ingest_clicks"] == 60
    assert "ambassade.tracking.tasks.rotate_salts" in jobs


def test_the_task_ingests(make_link, isolated_buffer, monkeypatch) -> None:
    from ambassade.tracking.tasks import ingest_clicks

    link = make_link()
    Client().get(f"/r/{link.code}", HTTP_USER_AGENT=BROWSER)
    monkeypatch.setattr(ingest.time, "time", lambda: time.monotonic() * 0 + 4_000_000_000)
    with transaction.atomic():
        result = ingest_clicks.call()
    assert result == {"files": 1, "events": 1}
