"""From the buffer to the database: clicks, orphan visits and daily counters, in batches.

A spool file is read once its minute is over (plus a grace period for a write that
began just before the minute ended). In one transaction the file is recorded as
ingested (a unique name), its clicks inserted and the daily counters increased; the
file is deleted after the commit. A crash between the commit and the deletion leaves a
file whose name is already recorded: the next run deletes it without counting it again.
The Redis stream works the same way with a recorded position instead of a name.
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F

from ambassade.core.batch import each
from ambassade.tracking import buffer
from ambassade.tracking.models import (
    Click,
    DailyLinkStats,
    IngestedBatch,
    OrphanVisit,
    TrackedLink,
)

logger = logging.getLogger(__name__)

GRACE_SECONDS = 5
CHUNK = 2000
STREAM_CURSOR = "stream:" + buffer.STREAM_KEY
COUNTERS = (
    "human_clicks",
    "unique_visitors",
    "previews",
    "bots",
    "self_clicks",
    "prefetches",
    "floods",
)


# --- Classification (the expensive part, done here rather than in the request) ----------


@lru_cache(maxsize=1)
def _detector() -> Any:
    from crawlerdetect import CrawlerDetect

    return CrawlerDetect()


@lru_cache(maxsize=4096)
def describe_agent(agent: str) -> tuple[bool, str, str]:
    """(is a bot, device class, browser family) of a user agent."""
    lowered = agent.lower()
    bot = not agent.strip() or bool(_detector().isCrawler(agent))
    if bot:
        return True, "bot", ""
    if (
        "ipad" in lowered
        or "tablet" in lowered
        or ("android" in lowered and "mobile" not in lowered)
    ):
        device = "tablet"
    elif "mobi" in lowered or "iphone" in lowered or "android" in lowered:
        device = "mobile"
    elif any(name in lowered for name in ("windows", "macintosh", "x11", "linux", "cros")):
        device = "desktop"
    else:
        device = "other"
    for needle, family in (
        ("edg/", "Edge"),
        ("edga/", "Edge"),
        ("opr/", "Opera"),
        ("samsungbrowser", "Samsung Internet"),
        ("firefox/", "Firefox"),
        ("fxios", "Firefox"),
        ("crios", "Chrome"),
        ("chrome/", "Chrome"),
        ("chromium/", "Chrome"),
        ("safari/", "Safari"),
    ):
        if needle in lowered:
            return False, device, family
    return False, device, "Other"


def _text(event: dict[str, Any], key: str, limit: int) -> str:
    value = event.get(key)
    return value[:limit] if isinstance(value, str) else ""


# --- Storing a batch --------------------------------------------------------------------


def store(events: list[dict[str, Any]]) -> int:
    """Inserts the events' clicks and orphan visits and adds them to the daily counters.

    Runs inside the caller's transaction; returns the number of rows inserted."""
    link_ids = {event["l"] for event in events if isinstance(event.get("l"), int)}
    links = {
        row["id"]: row
        for row in TrackedLink.objects.filter(id__in=link_ids).values(
            "id", "organisation_id", "network"
        )
    }
    clicks: list[Click] = []
    orphans: list[OrphanVisit] = []
    counters: dict[tuple[int, date], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(COUNTERS, 0)
    )
    visitors: dict[tuple[int, date], set[str]] = defaultdict(set)
    for event in events:
        try:
            moment = datetime.fromtimestamp(float(event["t"]), tz=UTC)
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            continue
        agent = _text(event, "ua", 300)
        kind = event.get("k")
        if kind == "o":
            orphans.append(
                OrphanVisit(
                    time=moment,
                    code=_text(event, "c", 40),
                    referrer_host=_text(event, "r", 100),
                    is_bot=describe_agent(agent)[0],
                )
            )
            continue
        link = links.get(event.get("l"))  # type: ignore[arg-type]
        if link is None or kind not in {"c", "p"}:
            continue  # a link deleted since, or not an event of ours
        preview = kind == "p"
        bot, device, browser = describe_agent(agent)
        bot = bot and not preview
        flags = {
            "is_preview": preview,
            "is_bot": bot,
            "is_prefetch": bool(event.get("pf")),
            "is_head": bool(event.get("h")),
            "is_self": bool(event.get("s")),
            "is_flood": bool(event.get("fl")),
        }
        human = not any(flags.values())
        visitor = _text(event, "v", 32)
        click = Click(
            organisation_id=link["organisation_id"],
            link_id=link["id"],
            time=moment,
            day=moment.date(),
            network=link["network"],
            is_human=human,
            visitor=visitor,
            referrer_host=_text(event, "r", 100),
            device="preview" if preview else device,
            browser=browser if not preview else "",
            language=_text(event, "al", 16),
            country=_text(event, "cc", 2),
            **flags,
        )
        clicks.append(click)
        counts = counters[(link["id"], click.day)]
        counts["human_clicks"] += human
        counts["previews"] += preview
        counts["bots"] += bot or (flags["is_head"] and not preview)
        counts["self_clicks"] += flags["is_self"]
        counts["prefetches"] += flags["is_prefetch"]
        counts["floods"] += flags["is_flood"]
        if human and visitor:
            visitors[(link["id"], click.day)].add(visitor)
    # New unique visitors: those of this batch not already among the day's human clicks.
    for (link_id, day), seen in visitors.items():
        known = set(
            Click.objects.filter(
                link_id=link_id, day=day, is_human=True, visitor__in=list(seen)
            ).values_list("visitor", flat=True)
        )
        counters[(link_id, day)]["unique_visitors"] += len(seen - known)
    Click.objects.bulk_create(clicks, batch_size=500)
    OrphanVisit.objects.bulk_create(orphans, batch_size=500)
    for (link_id, day), counts in counters.items():
        updated = (
            DailyLinkStats.objects.filter(link_id=link_id, day=day).update(
                **{name: F(name) + value for name, value in counts.items() if value}
            )
            if any(counts.values())
            else 1
        )
        if not updated:
            DailyLinkStats.objects.create(link_id=link_id, day=day, **counts)
    return len(clicks) + len(orphans)


# --- Spool files ------------------------------------------------------------------------


def closed_spool_files(now: float | None = None) -> list[Path]:
    directory: Path = settings.CLICK_SPOOL_DIR
    if not directory.is_dir():
        return []
    current = int((now if now is not None else time.time()) - GRACE_SECONDS) // 60
    found = []
    for path in directory.iterdir():
        if not path.name.endswith(buffer.SUFFIX):
            continue
        minute = buffer.minute_of(path.name)
        if minute is not None and minute < current:
            found.append(path)
    return sorted(found)


def _read_events(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        for raw in handle:
            try:
                event = json.loads(raw)
            except ValueError:
                continue  # a torn or foreign line: skipped, never fatal
            if isinstance(event, dict):
                yield event


def _chunks(events: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for event in events:
        chunk.append(event)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ingest_file(path: Path) -> int:
    """Stores one closed spool file; returns the events stored (0 if it was done before)."""
    name = f"spool:{path.name}"
    if IngestedBatch.objects.filter(name=name).exists():
        path.unlink(missing_ok=True)  # ingested before a crash kept it from being deleted
        return 0
    stored = 0
    try:
        with transaction.atomic():
            batch = IngestedBatch.objects.create(name=name)
            for chunk in _chunks(_read_events(path)):
                stored += store(chunk)
            batch.events = stored
            batch.save(update_fields=["events"])
    except IntegrityError:
        logger.info("spool file taken by another ingestion", extra={"file": path.name})
        return 0
    path.unlink(missing_ok=True)
    return stored


# --- Redis stream -----------------------------------------------------------------------


def ingest_stream(limit: int = CHUNK) -> int:
    from ambassade.tracking.buffer import _redis

    client = _redis()
    stored = 0
    while True:
        with transaction.atomic():
            cursor, _created = IngestedBatch.objects.select_for_update().get_or_create(
                name=STREAM_CURSOR
            )
            start = f"({cursor.position}" if cursor.position else "-"
            entries = client.xrange(buffer.STREAM_KEY, min=start, count=limit)
            if not entries:
                break
            events = []
            for _entry_id, fields in entries:
                try:
                    event = json.loads(fields.get(b"e", b""))
                except ValueError:
                    continue
                if isinstance(event, dict):
                    events.append(event)
            stored += store(events)
            newest = entries[-1][0].decode()
            cursor.position = newest
            cursor.events += len(events)
            cursor.save(update_fields=["position", "events"])
        # Only after the commit: entries up to the recorded position can go.
        try:
            client.xtrim(buffer.STREAM_KEY, minid=_next_id(newest))
        except Exception:
            logger.warning("the click stream could not be trimmed; it will be next time")
    return stored


def _next_id(entry_id: str) -> str:
    milliseconds, _, sequence = entry_id.partition("-")
    return f"{milliseconds}-{int(sequence or 0) + 1}"


# --- The whole run ----------------------------------------------------------------------


def ingest(now: float | None = None) -> dict[str, int]:
    """Everything waiting: closed spool files, then the stream. Safe to run concurrently."""
    result = {"files": 0, "events": 0}
    try:
        # One unreadable file must not hold back the others (logged, left in place).
        paths = closed_spool_files(now)
        ingested = each("tracking.ingest_clicks", paths, ingest_file)
        result["events"] += ingested.done
        result["files"] += len(paths) - ingested.failed
        if settings.REDIS_URL and settings.CLICK_BUFFER == "redis":
            result["events"] += ingest_stream()
    except DatabaseError:
        logger.warning("click ingestion stopped: the database is unavailable; clicks wait")
    return result
