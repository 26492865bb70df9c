"""From the buffer to the database: clicks, orphan visits and daily counters, in batches.

A spool file is read once its minute is over (plus a grace period for a write that
began just before the minute ended). In one transaction the file is recorded as
ingested (a unique name), its clicks inserted and the daily counters increased; the
file is deleted after the commit. A crash between the commit and the deletion leaves a
file whose name is already recorded: the next run deletes it without counting it again.
The Redis stream works the same way with a recorded position instead of a name.

Several ingestions may run at once (a long catch-up and the next minute's run). What
they count is decided by unique constraints, never by a look at rows another
transaction may not have committed yet: an event is counted by the ingestion that
inserts its id, a visitor by the one that inserts its visitor-day, and the counters are
added to, never overwritten. The days changed go to the rollup's change log in the
same transaction.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction

from ambassade.core.batch import each
from ambassade.tracking import buffer, inserts
from ambassade.tracking.models import (
    ChangedDay,
    Click,
    DailyLinkStats,
    DailyVisitor,
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

CLICK_FIELDS = (
    "organisation",
    "link",
    "time",
    "day",
    "network",
    "is_human",
    "is_preview",
    "is_bot",
    "is_prefetch",
    "is_head",
    "is_self",
    "is_flood",
    "visitor",
    "referrer_host",
    "device",
    "browser",
    "language",
    "country",
    "event_id",
)
ORPHAN_FIELDS = ("time", "code", "referrer_host", "is_bot", "event_id")


def _event_id(event: dict[str, Any]) -> uuid.UUID | None:
    """The id the redirect gave the event (none in files written before ids existed)."""
    value = event.get("i")
    if not isinstance(value, str) or len(value) != 32:
        return None
    try:
        return uuid.UUID(hex=value)
    except ValueError:
        return None


def _moment(event: dict[str, Any]) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(event["t"]), tz=UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None


def _click(event: dict[str, Any], link: Mapping[str, Any], moment: datetime) -> dict[str, Any]:
    """The row of a click event, its flags decided here (crawler detection included)."""
    preview = event.get("k") == "p"
    bot, device, browser = describe_agent(_text(event, "ua", 300))
    flags = {
        "is_preview": preview,
        "is_bot": bot and not preview,
        "is_prefetch": bool(event.get("pf")),
        "is_head": bool(event.get("h")),
        "is_self": bool(event.get("s")),
        "is_flood": bool(event.get("fl")),
    }
    return {
        "organisation": link["organisation_id"],
        "link": link["id"],
        "time": moment,
        "day": moment.date(),
        "network": link["network"],
        "is_human": not any(flags.values()),
        "visitor": _text(event, "v", 32),
        "referrer_host": _text(event, "r", 100),
        "device": "preview" if preview else device,
        "browser": browser if not preview else "",
        "language": _text(event, "al", 16),
        "country": _text(event, "cc", 2),
        "event_id": _event_id(event),
        **flags,
    }


def _new_only(model: Any, fields: tuple[str, ...], rows: list[dict[str, Any]]) -> list[dict]:
    """Inserts the rows whose event id is not stored yet; returns those inserted.

    An event seen twice (in the stream and in a spool file, or twice in one batch) is
    inserted by whichever transaction gets there first, and counted by that one only.
    Rows go in by time, then id: ids follow time, and concurrent ingestions holding the
    same events take their locks in one order."""
    unique: dict[Any, dict[str, Any]] = {}
    for row in rows:
        # Rows without an id (older spool files) are never duplicates of one another.
        unique.setdefault(row["event_id"] or object(), row)
    ordered = sorted(unique.values(), key=lambda row: (row["time"], str(row["event_id"] or "")))
    inserted = inserts.insert_new(
        model, fields, [[row[name] for name in fields] for row in ordered], ["event_id"]
    )
    new = {event_id for (event_id,) in inserted}
    return [row for row in ordered if row["event_id"] is None or row["event_id"] in new]


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
    clicks: list[dict[str, Any]] = []
    orphans: list[dict[str, Any]] = []
    for event in events:
        moment = _moment(event)
        if moment is None:
            continue
        kind = event.get("k")
        if kind == "o":
            orphans.append(
                {
                    "time": moment,
                    "code": _text(event, "c", 40),
                    "referrer_host": _text(event, "r", 100),
                    "is_bot": describe_agent(_text(event, "ua", 300))[0],
                    "event_id": _event_id(event),
                }
            )
            continue
        link = links.get(event.get("l"))  # type: ignore[arg-type]
        if link is None or kind not in {"c", "p"}:
            continue  # a link deleted since, or not an event of ours
        clicks.append(_click(event, link, moment))
    clicks = _new_only(Click, CLICK_FIELDS, clicks) if clicks else []
    orphans = _new_only(OrphanVisit, ORPHAN_FIELDS, orphans) if orphans else []
    counters: dict[tuple[int, date], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(COUNTERS, 0)
    )
    visitors: set[tuple[int, date, str]] = set()
    for click in clicks:
        counts = counters[(click["link"], click["day"])]
        counts["human_clicks"] += click["is_human"]
        counts["previews"] += click["is_preview"]
        counts["bots"] += click["is_bot"] or (click["is_head"] and not click["is_preview"])
        counts["self_clicks"] += click["is_self"]
        counts["prefetches"] += click["is_prefetch"]
        counts["floods"] += click["is_flood"]
        if click["is_human"] and click["visitor"]:
            visitors.add((click["link"], click["day"], click["visitor"]))
    # New unique visitors: the visitor-days this transaction inserts. One that another
    # ingestion inserted first, committed or not, is not inserted (PostgreSQL waits for
    # that transaction to end), hence not counted twice.
    for link_id, day in inserts.insert_new(
        DailyVisitor, ("link", "day", "visitor"), sorted(visitors), ["link", "day"]
    ):
        counters[(link_id, day)]["unique_visitors"] += 1
    inserts.add_to_counters(
        DailyLinkStats,
        ("link", "day"),
        COUNTERS,
        [[*key, *(counts[name] for name in COUNTERS)] for key, counts in sorted(counters.items())],
    )
    # The rollup's change log, committed with the counters or not at all.
    ChangedDay.objects.bulk_create(ChangedDay(day=day) for day in sorted({d for _, d in counters}))
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
