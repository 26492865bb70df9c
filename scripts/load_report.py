"""What scripts/load_test.py measured, read back and set beside its targets.

Needs Django set up on the run's database (the posts are counted there).
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from typing import Any

PENDING = ("scheduled", "queued", "publishing")


def _waiting(redis_url: str, organisation_id: int, ended: datetime) -> tuple[int, int]:
    """Jobs queued or running; posts due by the end that are not final yet."""
    from django.db import connection
    from redis import Redis
    from rq import Queue
    from rq.registry import StartedJobRegistry

    from ambassade.sharing.models import ShareTarget

    queue = Queue("default", connection=Redis.from_url(redis_url))
    jobs = queue.count + StartedJobRegistry(queue=queue).count
    posts = (
        ShareTarget.objects.filter(organisation_id=organisation_id, status__in=PENDING)
        .exclude(scheduled_at__gt=ended)
        .count()
    )
    connection.close()  # no transaction kept open between polls
    return jobs, posts


def drain(redis_url: str, organisation_id: int, ended: datetime, *, limit: float) -> float | None:
    """Seconds from the end of the load until the queue is empty and every post due is
    final; None when that took longer than ``limit``."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        if _waiting(redis_url, organisation_id, ended) == (0, 0):
            return time.monotonic() - began
        time.sleep(0.5)
    return None


def _p(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def figures(
    result: dict[str, Any],
    peaks: dict[int, tuple[int, int]],
    drained: float | None,
    organisation_id: int,
    seconds: int,
    args: argparse.Namespace,
) -> dict[str, Any]:
    from collections import Counter

    from ambassade.sharing.models import ShareTarget

    timings: dict[str, list[float]] = result["timings"]
    statuses = Counter(
        ShareTarget.objects.filter(organisation_id=organisation_id).values_list("status", flat=True)
    )
    return {
        "users": args.users,
        "seconds": seconds,
        "requests": sum(result["requests"].values()),
        "errors": sum(result["failures"].values()),
        "failures": result["failures"],
        "p95": {kind: _p(values, 0.95) for kind, values in timings.items()},
        "p50": {kind: _p(values, 0.50) for kind, values in timings.items()},
        "count": {kind: len(values) for kind, values in timings.items()},
        "posts": dict(statuses),
        "drained": drained,
        "web_rss_mb": max((rss for rss, _ in peaks.values()), default=0) / 1e6,
        "web_pss_mb": max((pss for _, pss in peaks.values()), default=0) / 1e6,
        "web_processes": len(peaks),
    }


def table(
    f: dict[str, Any], targets: dict[str, float], *, enforce_timings: bool = True
) -> tuple[str, bool]:
    """The printed figures, and whether every target was met (with ``enforce_timings``
    false, only errors and unpublished posts count: times and memory are reported)."""
    posts = f["posts"]
    published = posts.get("published", 0)
    unfinished = sum(n for status, n in posts.items() if status != "published")
    misses, timings = [], []
    if f["errors"]:
        misses.append(f"{f['errors']} errors")
    if not f["count"].get("page"):
        misses.append("no page answered")
    elif f["p95"]["page"] > targets["page_p95_ms"]:
        timings.append("page p95")
    if f["drained"] is None:
        misses.append("queue never emptied")
    elif f["drained"] > targets["queue_empty_s"]:
        timings.append("queue not empty in time")
    if f["web_rss_mb"] > targets["web_rss_mb"]:
        timings.append("web process memory")
    if unfinished or not published:
        misses.append(f"posts not published: {dict(posts)}")
    if enforce_timings:
        misses += timings
    rows = [
        f"Load test through nginx: {f['users']} ambassadors, {f['seconds']} s",
        f"  requests          {f['requests']:>9}  ({f['requests'] / f['seconds']:.1f}/s)",
        f"  errors            {f['errors']:>9}  (target 0)",
    ]
    for kind, label in (
        ("page", "pages"),
        ("sign_in", "password sign-in"),
        ("click", "short-link clicks"),
        ("healthz", "baseline /healthz"),
        ("static", "baseline static file"),
    ):
        if f["count"].get(kind):
            target = f"  (target < {targets['page_p95_ms']} ms)" if kind == "page" else ""
            rows.append(
                f"  {label:<20} p50 {f['p50'][kind]:>7.1f} ms  p95 {f['p95'][kind]:>7.1f} ms"
                f"  n={f['count'][kind]}{target}"
            )
    drained = "over the limit" if f["drained"] is None else f"{f['drained']:.1f} s"
    rows += [
        f"  posts published   {published:>9}  of {sum(posts.values())} shared",
        f"  queue empty after {drained:>9}  (target < {targets['queue_empty_s']} s)",
        f"  web process peak  {f['web_rss_mb']:>7.0f} MB RSS, {f['web_pss_mb']:.0f} MB PSS,"
        f" over {f['web_processes']} processes  (target < {targets['web_rss_mb']} MB)",
    ]
    if f.get("cpu"):
        used = ", ".join(f"{name} {seconds:.0f}" for name, seconds in sorted(f["cpu"].items()))
        rows.append(f"  CPU seconds used  {used}")
    for failure, count in sorted(f["failures"].items(), key=lambda pair: -pair[1])[:10]:
        rows.append(f"  failure x{count}: {failure}")
    if not enforce_timings and timings:
        rows.append("timing targets missed (reported, not enforced): " + "; ".join(timings))
    rows.append("TARGETS MET" if not misses else "TARGETS MISSED: " + "; ".join(misses))
    return "\n".join(rows), not misses
