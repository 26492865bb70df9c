"""Keeps ``DailyShareStats`` up to date: whole days are recomputed from the raw tables.

Sources, each attributed to a day (UTC):

- share targets published through an API (day of ``published_at``) or declared through
  a share link (day of ``published_at``, else of ``created_at``), with the audience of
  their account (potential reach) and the reactions the network reported;
- the tracked links' daily counters (``DailyLinkStats``): human clicks, unique visitors;
- conversions (day of ``occurred_at``) and their value.

The incremental run finds the days touched since the previous run and recomputes
exactly those days; the rebuild recomputes every day since a date. Clicks and
conversions say which days they changed through the tracking app's change log
(``ChangedDay``), written in their own transaction: a batch that commits late, with
lower ids than rows a run has already seen, is still found by the next run. Share
targets are found by id and by their dates (created, published, measured) since the
previous run, with an overlap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from ambassade.analytics import department_sums, person_ranges
from ambassade.analytics.models import (
    DailyDepartmentStats,
    DailyItemStats,
    DailyProgramStats,
    DailyShareStats,
    PersonRangeStats,
    RollupState,
)
from ambassade.analytics.selection import utc_today
from ambassade.content.models import ContentItem
from ambassade.sharing.models import ShareTarget, TargetStatus
from ambassade.tracking.models import ChangedDay, Conversion, ConversionKind, DailyLinkStats

COUNTED = (TargetStatus.PUBLISHED, TargetStatus.DECLARED)
# Share targets written shortly before a run may commit after it: look back this far.
OVERLAP = timedelta(minutes=15)
STATE = "daily_share_stats"

Key = tuple[int, date, int | None, int | None, int | None, str]


@dataclass
class Row:
    shares_published: int = 0
    shares_declared: int = 0
    human_clicks: int = 0
    unique_visitors: int = 0
    potential_reach: int = 0
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    impressions: int = 0
    conversions: int = 0
    applications: int = 0
    conversion_value: Decimal = Decimal("0")

    def add(self, other: Row) -> None:
        for name, amount in vars(other).items():
            setattr(self, name, getattr(self, name) + amount)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def _within(days: set[date], field: str) -> Q:
    query = Q(pk__in=[])
    for day in days:
        query |= Q(**{f"{field}__gte": _start(day), f"{field}__lt": _start(day + timedelta(1))})
    return query


def _chunks(days: Iterable[date], size: int = 60) -> Iterable[set[date]]:
    ordered = sorted(days)
    for index in range(0, len(ordered), size):
        yield set(ordered[index : index + size])


def compute(days: set[date]) -> dict[Key, Row]:
    """The rows of these days, computed from the raw tables."""
    rows: dict[Key, Row] = defaultdict(Row)
    targets = (
        ShareTarget.objects.filter(status__in=COUNTED)
        .filter(
            _within(days, "published_at")
            | (Q(published_at__isnull=True) & _within(days, "created_at"))
        )
        .values_list(
            "organisation_id",
            "published_at",
            "created_at",
            "share__item__program_id",
            "share__person_id",
            "share__item_id",
            "network",
            "status",
            "audience",
            "account__audience",
            "likes",
            "reposts",
            "replies",
            "impressions",
        )
    )
    for org, published, created, program, person, item, network, status, then, now, *r in targets:
        # The audience when the post went out; older posts only have today's.
        audience = then if then is not None else now
        day = _day(published or created)
        if day not in days:
            continue
        row = rows[(org, day, program, person, item, network)]
        if status == TargetStatus.PUBLISHED:
            row.shares_published += 1
        else:
            row.shares_declared += 1
        row.potential_reach += audience or 0
        row.likes += r[0] or 0
        row.reposts += r[1] or 0
        row.replies += r[2] or 0
        row.impressions += r[3] or 0

    stats = list(
        DailyLinkStats.objects.filter(day__in=days).values_list(
            "link__organisation_id",
            "day",
            "link__person_id",
            "link__content_item_id",
            "link__network",
            "human_clicks",
            "unique_visitors",
        )
    )
    conversions = list(
        Conversion.objects.filter(_within(days, "occurred_at")).values_list(
            "organisation_id",
            "occurred_at",
            "person_id",
            "content_item_id",
            "network",
            "kind",
            "value",
            "link__program_id",
        )
    )
    # Tracked links and conversions hold a plain item id: map it to its program.
    item_ids = {entry[3] for entry in stats} | {entry[3] for entry in conversions}
    programs: dict[int, int] = dict(
        ContentItem.objects.filter(pk__in=[i for i in item_ids if i is not None]).values_list(
            "pk", "program_id"
        )
    )

    def where(item_ref: int | None) -> tuple[int | None, int | None]:
        if item_ref is None or item_ref not in programs:
            return None, None  # no item, or one deleted since
        return programs[item_ref], item_ref

    for org, day, person, item_ref, network, clicks, visitors in stats:
        program_id, item_id = where(item_ref)
        row = rows[(org, day, program_id, person, item_id, network)]
        row.human_clicks += clicks
        row.unique_visitors += visitors
    for org, occurred, person, item_ref, network, kind, value, link_program in conversions:
        program_id, item_id = where(item_ref)
        if item_ref is None and link_program is not None:
            program_id = link_program  # a link of no item that names its program (a lead)
        row = rows[(org, _day(occurred), program_id, person, item_id, network)]
        row.conversions += 1
        row.applications += 1 if kind == ConversionKind.APPLICATION else 0
        row.conversion_value += value or Decimal("0")
    return rows


ItemKey = tuple[int, date, int | None, int | None, str]


def by_item(rows: dict[Key, Row]) -> dict[ItemKey, Row]:
    """The daily rows summed over people: the rows of ``DailyItemStats``."""
    totals: dict[ItemKey, Row] = defaultdict(Row)
    for (org, day, program, _person, item, network), row in rows.items():
        totals[(org, day, program, item, network)].add(row)
    return totals


ProgramKey = tuple[int, date, int | None, str]


def by_program(items: dict[ItemKey, Row]) -> dict[ProgramKey, Row]:
    """The sums per item summed over items: the rows of ``DailyProgramStats``."""
    totals: dict[ProgramKey, Row] = defaultdict(Row)
    for (org, day, program, _item, network), row in items.items():
        totals[(org, day, program, network)].add(row)
    return totals


def recompute(days: Iterable[date]) -> int:
    """Replaces the rows of these days (and their sums per item, per program, per
    department, and per person over the dashboards' ranges); returns how many daily rows
    were written.

    Called by ``rebuild`` and ``update``, inside their transaction, state row locked.
    """
    written = 0
    days = set(days)
    people: set[int | None] = set()  # whose daily rows were replaced: their ranges change
    # Read before writing: a department changed during the run is taken in by the next one.
    memberships = department_sums.memberships()
    for chunk in _chunks(days):
        rows = compute(chunk)
        people |= {key[3] for key in rows}
        with transaction.atomic():
            old = DailyShareStats.objects.filter(day__in=chunk, person__isnull=False)
            people |= set(old.values_list("person_id", flat=True).distinct().order_by())
            DailyShareStats.objects.filter(day__in=chunk).delete()
            DailyItemStats.objects.filter(day__in=chunk).delete()
            DailyProgramStats.objects.filter(day__in=chunk).delete()
            items = by_item(rows)
            DailyItemStats.objects.bulk_create(
                [
                    DailyItemStats(
                        organisation_id=org,
                        day=day,
                        program_id=program,
                        item_id=item,
                        network=network,
                        **vars(row),
                    )
                    for (org, day, program, item, network), row in items.items()
                ],
                batch_size=500,
            )
            DailyProgramStats.objects.bulk_create(
                [
                    DailyProgramStats(
                        organisation_id=org,
                        day=day,
                        program_id=program,
                        network=network,
                        **vars(row),
                    )
                    for (org, day, program, network), row in by_program(items).items()
                ],
                batch_size=500,
            )
            created = DailyShareStats.objects.bulk_create(
                [
                    DailyShareStats(
                        organisation_id=org,
                        day=day,
                        program_id=program,
                        person_id=person,
                        item_id=item,
                        network=network,
                        **vars(row),
                    )
                    for (org, day, program, person, item, network), row in rows.items()
                ],
                batch_size=500,
            )
            department_sums.recompute_days(chunk)
        written += len(created)
    person_ranges.refresh(utc_today(), people, days)
    department_sums.follow_people(memberships)
    return written


def _locked_state() -> RollupState:
    RollupState.objects.get_or_create(name=STATE)
    return RollupState.objects.select_for_update().get(name=STATE)


def _changes() -> list[tuple[int, date]]:
    """The change log as committed now: read before computing, so that whatever it
    announces is already visible to the computation that follows."""
    return list(ChangedDay.objects.values_list("pk", "day"))


def _consume(changes: list[tuple[int, date]]) -> None:
    """Deletes the rows read, and only those: one committed since is left for next time."""
    ids = [pk for pk, _day in changes]
    for start in range(0, len(ids), 1000):
        ChangedDay.objects.filter(pk__in=ids[start : start + 1000]).delete()


def rebuild(since: date | None = None) -> int:
    """Recomputes every day from ``since`` (default: the earliest raw data) to today."""
    today = utc_today()
    with transaction.atomic():
        state = _locked_state()
        changes = _changes()
        state.last_target_id = ShareTarget.objects.aggregate(top=Max("pk"))["top"] or 0
        state.last_run_at = timezone.now()
        full = since is None
        if since is None:
            firsts = [
                ShareTarget.objects.aggregate(first=Min("created_at"))["first"],
                ShareTarget.objects.aggregate(first=Min("published_at"))["first"],
                Conversion.objects.aggregate(first=Min("occurred_at"))["first"],
            ]
            first_days = [_day(moment) for moment in firsts if moment is not None]
            stats_first = DailyLinkStats.objects.aggregate(first=Min("day"))["first"]
            if stats_first is not None:
                first_days.append(stats_first)
            since = min(first_days, default=today)
        days = {since + timedelta(n) for n in range((today - since).days + 1)}
        if full:
            # A full rebuild also drops rows no raw data explains any more.
            DailyShareStats.objects.all().delete()
            DailyItemStats.objects.all().delete()
            DailyProgramStats.objects.all().delete()
            DailyDepartmentStats.objects.all().delete()
            # Sums of people who no longer have any row would otherwise stay behind.
            PersonRangeStats.objects.all().delete()
        written = recompute(days)
        # Changes to days before ``since`` are still to be recomputed by the next run.
        _consume([(pk, day) for pk, day in changes if day in days])
        # Not person_ranges_on: the refresh of the sums per person has just set it.
        state.save(update_fields=["last_target_id", "last_run_at"])
    return written


def touched_days(state: RollupState, now: datetime, changes: list[tuple[int, date]]) -> set[date]:
    # Today and yesterday always: a share whose transaction was still open at the previous
    # run (its id below that run's high-water mark) is counted all the same.
    days: set[date] = {_day(now), _day(now) - timedelta(days=1)}
    days |= {day for _pk, day in changes}
    since = (state.last_run_at or now) - OVERLAP
    changed = ShareTarget.objects.filter(
        Q(pk__gt=state.last_target_id)
        | Q(created_at__gte=since)
        | Q(published_at__gte=since)
        | Q(metrics_at__gte=since)
    ).values_list("published_at", "created_at")
    for published, created in changed:
        days.add(_day(published or created))
    return days


def update() -> dict[str, int]:
    """The periodic run: recomputes the days touched since the previous one."""
    now = timezone.now()
    if not RollupState.objects.filter(name=STATE, last_run_at__isnull=False).exists():
        # Never run here: there is no "since the last run" yet, so everything is built.
        return {"days": -1, "rows": rebuild()}
    with transaction.atomic():
        state = _locked_state()
        top_target = ShareTarget.objects.aggregate(top=Max("pk"))["top"] or 0
        changes = _changes()
        days = touched_days(state, now, changes)
        written = recompute(days)
        _consume(changes)
        state.last_target_id = max(state.last_target_id, top_target)
        state.last_run_at = now
        # Not person_ranges_on: the refresh of the sums per person has just set it.
        state.save(update_fields=["last_target_id", "last_run_at"])
    return {"days": len(days), "rows": written}
