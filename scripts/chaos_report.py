"""The end of chaos_publishing.py: wait for the figures, compare them, print the table."""

from __future__ import annotations

import time
import zoneinfo
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from chaos_clicks import Sent
from chaos_world import World, in_quiet_hours, targets_by_code, zones_of_accounts
from django.conf import settings
from django.db.models import Max, Sum

from ambassade.analytics import rollup
from ambassade.analytics.models import DailyShareStats
from ambassade.sharing.models import ShareTarget, SocialAccount, TargetStatus
from ambassade.sharing.publishing import STALE_AFTER
from ambassade.tracking.buffer import STREAM_KEY
from ambassade.tracking.ingest import STREAM_CURSOR
from ambassade.tracking.models import DailyLinkStats, IngestedBatch

FINAL = ("published", "failed", "to_verify", "cancelled", "declared")
# release_due runs every minute: a target due less than this before the end is not late.
LATE_AFTER = timedelta(minutes=1)
FIGURES_SECONDS = 180


class Between:
    """An expected value that is a closed range (a single number when both ends meet)."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def holds(self, value: Any) -> bool:
        return self.low <= value <= self.high

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


def settle(
    organisation_id: int, redis_url: str, ended: datetime, drain_until: float
) -> dict[str, str]:
    """With no more kills: lets the workers finish what was due before the end (until
    ``drain_until``), waits for the buffered clicks to be ingested, then runs the rollup
    (three more minutes at most for the ingestion)."""
    outcome = {"drain": "not finished", "ingestion": "not finished", "rollup": "not run"}
    started = time.monotonic()
    while time.monotonic() < drain_until:
        if _late(organisation_id, ended)[0] == 0:
            outcome["drain"] = f"done in {time.monotonic() - started:.0f} s"
            break
        time.sleep(3)
    until = time.monotonic() + FIGURES_SECONDS
    while time.monotonic() < until:
        if _clicks_ingested(redis_url):
            outcome["ingestion"] = "done"
            break
        time.sleep(3)
    # Run here rather than queued: behind a backlog of publishing jobs a queued rollup can
    # wait for many minutes. The workers' periodic rollups may run at the same time.
    try:
        rollup.update()
        outcome["rollup"] = "done"
    except Exception as error:
        outcome["rollup"] = f"failed: {type(error).__name__}"
    return outcome


def _clicks_ingested(redis_url: str) -> bool:
    """No closed spool file waits, and the stream's newest entry is behind the cursor
    (entries are trimmed approximately, so the stream is rarely empty)."""
    import redis

    spool = settings.CLICK_SPOOL_DIR
    if spool.is_dir() and any(spool.glob("*.jsonl")):
        return False
    newest = redis.Redis.from_url(redis_url).xrevrange(STREAM_KEY, count=1)
    if not newest:
        return True
    cursor = (
        IngestedBatch.objects.filter(name=STREAM_CURSOR).values_list("position", flat=True).first()
    )

    def order(entry_id: str) -> tuple[int, int]:
        milliseconds, _, sequence = entry_id.partition("-")
        return int(milliseconds), int(sequence or 0)

    return bool(cursor) and order(newest[0][0].decode()) <= order(str(cursor))


def _late(organisation_id: int, ended: datetime) -> tuple[int, int]:
    """(targets due before the end that are not final, targets due only after it)."""
    late = waiting = 0
    rows = (
        ShareTarget.objects.filter(organisation_id=organisation_id)
        .exclude(status__in=FINAL)
        .annotate(last_attempt=Max("attempts__started_at"))
        .values_list("status", "scheduled_at", "created_at", "last_attempt")
    )
    for status, scheduled_at, created_at, last_attempt in rows:
        if status == TargetStatus.PUBLISHING:
            due = (last_attempt + STALE_AFTER) if last_attempt else created_at
        else:
            due = scheduled_at or created_at
        if due < ended - LATE_AFTER:
            late += 1
        else:
            waiting += 1
    return late, waiting


def _per_network(targets: dict[str, dict[str, Any]]) -> str:
    found = Counter((target["network"], target["status"]) for target in targets.values())
    return ", ".join(f"{network} {status} {n}" for (network, status), n in sorted(found.items()))


def report(
    world: World,
    fakes: dict[str, Any],
    sent: Sent,
    *,
    ended: datetime,
    kills: int,
    composed: int,
    settled: dict[str, str],
) -> tuple[str, bool]:
    organisation_id = world.organisation_id
    targets = targets_by_code(organisation_id)
    accepted = [post for fake in fakes.values() for post in fake.accepted]
    per_target = Counter((post.network, post.ref) for post in accepted)
    statuses = Counter(target["status"] for target in targets.values())
    duplicates: Counter[str] = Counter()
    for (network, _ref), n in per_target.items():
        if n > 1:
            duplicates[network] += n - 1
    on_network = {key for key in per_target}
    published_missing = sum(
        1
        for code, target in targets.items()
        if target["status"] == "published" and (target["network"], code) not in on_network
    )
    failed_but_there = sum(
        1
        for code, target in targets.items()
        if target["status"] == "failed" and (target["network"], code) in on_network
    )
    late, waiting = _late(organisation_id, ended)
    zones = zones_of_accounts(organisation_id)
    quiet = 0
    per_day: dict[tuple[int, str, str], set[str]] = {}
    for post in accepted:
        zone, person = zones[(post.network, post.account.removeprefix("did:plc:"))]
        quiet += in_quiet_hours(world, zone, post.received)
        local_day = datetime.fromtimestamp(post.received, zoneinfo.ZoneInfo(zone)).date()
        # Distinct targets: a duplicate is counted once, as a duplicate.
        per_day.setdefault((person, post.network, local_day.isoformat()), set()).add(post.ref)
    over_cap = sum(max(0, len(refs) - world.daily_cap) for refs in per_day.values())
    knocked_out = list(
        SocialAccount.objects.filter(
            organisation_id=organisation_id, status=SocialAccount.Status.NEEDS_RECONNECTION
        ).values_list("network", "remote_id", "last_error")
    )
    # X refresh tokens are single-use: a worker killed after X rotated the token and before
    # the new one was stored leaves a grant nobody holds; X then rightly refuses the old one.
    # The fake recognises that case (the new grant was never used); it is counted apart.
    lost = getattr(fakes.get("x"), "lost_in_flight", set())
    lost_with_worker = [a for a in knocked_out if a[0] == "x" and a[1] in lost]
    reconnect = len(knocked_out) - len(lost_with_worker)
    links = DailyLinkStats.objects.filter(link__organisation_id=organisation_id).aggregate(
        clicks=Sum("human_clicks"),
        visitors=Sum("unique_visitors"),
        floods=Sum("floods"),
        bots=Sum("bots"),
    )
    rolled = DailyShareStats.objects.filter(organisation_id=organisation_id).aggregate(
        clicks=Sum("human_clicks"), visitors=Sum("unique_visitors")
    )
    failures = Counter(
        ShareTarget.objects.filter(organisation_id=organisation_id, status="failed").values_list(
            "failure_kind", flat=True
        )
    )
    # A click whose answer never came (the client timed out) may have been counted or not:
    # the count is exact when it lies between the answered clicks and those plus these.
    clicks_expected: Any = Between(sent.redirected, sent.redirected + sent.errors)
    visitors_expected: Any = Between(sent.unique_visitors, sent.unique_visitors_at_most)
    rows: list[tuple[str, Any, Any]] = [
        ("targets (share targets on the fake networks)", len(targets), None),
        ("  composed by this run", composed, None),
        (
            "  published / to verify / failed",
            f"{statuses['published']} / "
            f"{statuses['to_verify']} / {statuses['failed']} {dict(failures) or ''}",
            None,
        ),
        ("  not final at the end, due only after it", waiting, None),
        ("  per network and status", _per_network(targets), None),
        ("posts accepted by the fake networks", len(accepted), None),
        ("  per network", dict(Counter(post.network for post in accepted)), None),
        (
            "duplicates (a target accepted twice or more)",
            sum(n - 1 for n in per_target.values() if n > 1),
            0,
        ),
        ("  per network", dict(duplicates) or "{}", None),
        ("lost: published but not on the network", published_missing, 0),
        ("lost: due before the end, not final after the drain", late, 0),
        ("targets 'to verify'", statuses["to_verify"], None),
        ("on the network but marked failed", failed_but_there, None),
        ("accounts wrongly marked 'needs reconnection'", reconnect, 0),
        ("  network: reason", dict(Counter(f"{n}: {e[:80]}" for n, _r, e in knocked_out)), None),
        ("X grants lost by a killed worker mid-refresh", len(lost_with_worker), None),
        ("posts accepted inside quiet hours", quiet, 0),
        ("posts over the daily cap", over_cap, 0),
        ("clicks sent (answered 302)", sent.redirected, None),
        ("  other answers / no answer", f"{dict(sent.other) or '{}'} / {sent.errors}", None),
        ("clicks counted in the link counters", links["clicks"] or 0, clicks_expected),
        ("clicks counted in the analytics rollup", rolled["clicks"] or 0, clicks_expected),
        ("unique visitors sent (per link and day)", sent.unique_visitors, None),
        ("unique visitors in the link counters", links["visitors"] or 0, visitors_expected),
        ("unique visitors in the analytics rollup", rolled["visitors"] or 0, visitors_expected),
        (
            "  floods / bots counted (not expected)",
            f"{links['floods'] or 0} / {links['bots'] or 0}",
            None,
        ),
        (
            "drain / ingestion / rollup",
            f"{settled['drain']} / {settled['ingestion']} / {settled['rollup']}",
            None,
        ),
        ("workers killed", kills, None),
    ]
    for name, fake in fakes.items():
        rows.append((f"fake {name}", dict(sorted(fake.counts.items())), None))
    width = max(len(name) for name, _value, _expected in rows)
    lines = ["", f"{'':{width}}  value    expected"]
    ok = True
    for name, value, expected in rows:
        verdict = ""
        if expected is not None:
            good = expected.holds(value) if isinstance(expected, Between) else value == expected
            ok = ok and good
            verdict = f"{expected!s:<8} {'ok' if good else 'FAIL'}"
        lines.append(f"{name:<{width}}  {value!s:<8} {verdict}".rstrip())
    lines.append("")
    lines.append("all invariants hold" if ok else "SOME INVARIANTS FAIL")
    return "\n".join(lines), ok
