"""The figures of benchmark_publishing.py, from the database, the PDS and the timings file."""

from __future__ import annotations

import itertools
import json
import os
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from benchmark_publishing_world import Built, on_pds

from ambassade.sharing.models import PublishAttempt, ShareTarget, TargetStatus


def _timings(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _ms(values: list[float]) -> dict[str, float]:
    if not values:
        return {"mean": 0.0, "p50": 0.0, "p95": 0.0}
    ordered = sorted(values)
    return {
        "mean": 1000 * statistics.fmean(ordered),
        "p50": 1000 * ordered[len(ordered) // 2],
        "p95": 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
    }


def report(
    built: Built, accounts: list[dict[str, Any]], pds: str, timings: Path, cpu: float, workers: int
) -> dict[str, Any]:
    targets = list(
        ShareTarget.objects.filter(organisation_id=built.organisation_id).values(
            "id",
            "status",
            "scheduled_at",
            "published_at",
            "share__item_id",
            "network",
            "remote_id",
            "account__remote_id",
        )
    )
    statuses = Counter(target["status"] for target in targets)
    published = [t for t in targets if t["status"] == TargetStatus.PUBLISHED]
    lines = _timings(timings)
    deferred = {line["target"] for line in lines if line["result"] == "deferred"}
    # Posts/s over the posts due at once (the stagger holds the others back on purpose):
    # from the first attempt to the last of them published.
    bulk = [t for t in published if t["id"] in built.due_at_once and t["id"] not in deferred]
    first = (
        PublishAttempt.objects.filter(target__organisation_id=built.organisation_id)
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    rate = 0.0
    window = 0.0
    if bulk and first is not None:
        end = max(t["published_at"] for t in bulk)
        window = (end - first).total_seconds()
        rate = len(bulk) / window if window > 0 else 0.0
    done = [line for line in lines if line["result"] == "published"]
    outside = [line["wall"] - line["network"] for line in done]
    # The whole worker loop over the bulk window (taking the task from the queue, saving
    # its result, polling): the workers' wall time minus the time inside network calls.
    in_window = (
        [line for line in done if line["ended"] <= first.timestamp() + window] if first else []
    )
    loop = (workers * window - sum(line["network"] for line in in_window)) / max(1, len(in_window))
    # Duplicates: posts on the PDS per target (the baseline's posts are left aside).
    held = on_pds(pds, accounts)
    expected: Counter[str] = Counter(t["account__remote_id"] for t in published)
    duplicates = sum(max(0, len(uris) - expected[did]) for did, uris in held.items())
    uris = {uri for found in held.values() for uri in found}
    missing = sum(1 for t in published if t["remote_id"] not in uris)
    # The stagger: colleagues' posts of one item on one network, when each went out.
    by_item: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for target in published:
        by_item[(target["share__item_id"], target["network"])].append(target)
    gaps, published_gaps = [], []
    for group in by_item.values():
        claimed = sorted(t["scheduled_at"] for t in group)
        out = sorted(t["published_at"] for t in group)
        gaps += [(b - a).total_seconds() for a, b in itertools.pairwise(claimed)]
        published_gaps += [(b - a).total_seconds() for a, b in itertools.pairwise(out)]
    smallest = min(gaps) if gaps else None
    stagger_ok = smallest is None or smallest >= built.stagger.total_seconds()
    ok = statuses[TargetStatus.PUBLISHED] == len(targets) and not duplicates and not missing
    return {
        "ok": ok and stagger_ok and bool(gaps),
        "targets": len(targets),
        "statuses": dict(statuses),
        "bulk": len(bulk),
        "window": window,
        "rate": rate,
        "outside": _ms(outside),
        "network": _ms([line["network"] for line in done]),
        "cpu": _ms([line["cpu"] for line in done]),
        "queries": statistics.fmean([line["queries"] for line in done]) if done else 0,
        "calls": statistics.fmean([line["calls"] for line in done]) if done else 0,
        "loop": 1000 * loop,
        "worker_cpu": 1000 * cpu / max(1, len(lines)),
        "tasks": len(lines),
        "deferred": len(deferred),
        "duplicates": duplicates,
        "missing": missing,
        "stagger_pairs": len(gaps),
        "stagger_smallest": smallest,
        "stagger_smallest_published": min(published_gaps) if published_gaps else None,
        "stagger_ok": stagger_ok,
        "load": os.getloadavg(),
    }


def table(r: dict[str, Any]) -> str:
    base = r["baseline"]
    out, net, cpu = r["outside"], r["network"], r["cpu"]
    gap = r["stagger_smallest"]
    rows = [
        ("backend", f"{r['backend']}, {r['workers']} workers"),
        ("targets", f"{r['targets']} {r['statuses']}; all final: {r['finished']}"),
        (
            "posts/s",
            f"ours {r['rate']:.1f} posts/s beside PDS-alone {base['rate']:.1f} posts/s "
            f"({r['bulk']} posts due at once, {r['window']:.1f} s; baseline: "
            f"{base['posts']} posts, 2 threads)",
        ),
        (
            "outside the network call",
            f"{out['mean']:.1f} ms mean, {out['p50']:.1f} ms p50, {out['p95']:.1f} ms p95 "
            "per post (task wall minus time inside the PDS requests)",
        ),
        ("inside the network call", f"{net['mean']:.1f} ms mean, {net['p95']:.1f} ms p95"),
        ("task CPU", f"{cpu['mean']:.1f} ms mean per post"),
        ("worker loop", f"{r['loop']:.1f} ms per post outside the network (claim, save, poll)"),
        ("worker CPU", f"{r['worker_cpu']:.1f} ms per task (process start included)"),
        ("per post", f"{r['queries']:.1f} SQL queries, {r['calls']:.1f} HTTP requests"),
        ("tasks run", f"{r['tasks']} ({r['deferred']} deferred by the stagger at claim)"),
        ("duplicates", f"{r['duplicates']} (published but not on the PDS: {r['missing']})"),
        (
            "stagger",
            f"smallest gap {gap if gap is None else f'{gap:.1f} s'} between colleagues' posts "
            f"of one item ({r['stagger_pairs']} pairs; published_at: "
            f"{r['stagger_smallest_published']}) -> {'ok' if r['stagger_ok'] else 'VIOLATED'}",
        ),
        ("load average", " ".join(f"{x:.2f}" for x in r["load"])),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)
