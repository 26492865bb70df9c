"""Clicks at a steady rate through the real path: buffer, ingestion, rollup.

Used by ``benchmark_analytics.py --feed-seconds N`` after the pages are timed: a thread
hands click events to the redirect's buffer (spool files, as a web process does) at 100
a second while this process runs the ingestion every 10 seconds and the rollup every
minute (every 5 minutes in production), as the scheduler would. It reports the slowest
run of each (they keep up when it stays well under its interval) and how long after the
last click the daily figures counted every click.
"""

from __future__ import annotations

import time as clock
from typing import Any

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)
INGEST_EVERY = 10  # seconds: the scheduler's ingestion runs every minute; more often here
ROLLUP_EVERY = 60  # seconds: the rollup runs every 5 minutes in production


def feed(seconds: int, rate: int = 100) -> dict[str, Any]:
    """Clicks at ``rate`` a second for ``seconds`` through the real path: the redirect's
    buffer (spool files), the ingestion, the rollup. Returns the work time of each step
    and the lag between the last click handed over and its presence in the figures."""
    import threading
    import uuid

    from django.db.models import Sum

    from ambassade.analytics import rollup
    from ambassade.analytics.models import DailyShareStats
    from ambassade.tracking import buffer, ingest
    from ambassade.tracking.models import TrackedLink

    def rolled_clicks() -> int:
        return DailyShareStats.objects.aggregate(n=Sum("human_clicks"))["n"] or 0

    links = list(TrackedLink.objects.order_by("-pk").values_list("pk", "code")[:3000])
    assert links, "no tracked link to click"
    before = rolled_clicks()
    total = seconds * rate
    finished: list[float] = []

    def feeder() -> None:
        begin = clock.monotonic()
        for number in range(total):
            delay = begin + number / rate - clock.monotonic()
            if delay > 0:
                clock.sleep(delay)
            pk, code = links[number % len(links)]
            buffer.hand_over(
                {
                    "i": uuid.uuid4().hex,
                    "k": "c",
                    "t": clock.time(),
                    "l": pk,
                    "c": code,
                    "v": f"{number:032x}",  # every click another visitor: no flood flag
                    "ua": BROWSER,
                }
            )
        finished.append(clock.monotonic())

    rollup.update()  # the state as the scheduler would leave it
    thread = threading.Thread(target=feeder, daemon=True)
    started = clock.monotonic()
    thread.start()
    ingests: list[float] = []
    rollups: list[float] = []
    next_rollup = started + ROLLUP_EVERY
    reached = before
    while clock.monotonic() < started + seconds + 240:
        clock.sleep(max(0.0, INGEST_EVERY - (clock.monotonic() - started) % INGEST_EVERY))
        begin = clock.monotonic()
        ingest.ingest()
        ingests.append(clock.monotonic() - begin)
        if clock.monotonic() >= next_rollup or finished:
            begin = clock.monotonic()
            rollup.update()
            rollups.append(clock.monotonic() - begin)
            next_rollup = clock.monotonic() + ROLLUP_EVERY
            reached = rolled_clicks()
            if finished and reached - before >= total:
                break
    thread.join()
    return {
        "rate": rate,
        "seconds": seconds,
        "fed": total,
        "rolled_up": reached - before,
        "feed_seconds": round((finished[0] if finished else clock.monotonic()) - started, 1),
        "lag_seconds": round(clock.monotonic() - finished[0], 1) if finished else None,
        "ingest_max": round(max(ingests, default=0), 2),
        "ingest_runs": len(ingests),
        "rollup_max": round(max(rollups, default=0), 2),
        "rollup_runs": len(rollups),
    }
