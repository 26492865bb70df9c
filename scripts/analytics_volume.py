"""The ``--volume large`` data of ``benchmark_analytics.py``: a year of a big program's shares.

On top of the demo organisation: the program with the most enrolments grows to 5,000
enrolled people, each of whom shares one item a week on two networks of their own. Every
share target has its tracked link, clicked on the day it went out and, less and less
often, on the three days after; each click is a raw ``Click`` row and the link's daily
counters (``DailyLinkStats``) add them up, as the ingestion would. The daily figures are
then made by the real ``rebuild_analytics``, which is timed: about a million daily rows.

Rows go in with the database's fastest path (``COPY`` on PostgreSQL, ``executemany`` on
SQLite), with explicit ids so that references need no read-back; the ORM's work on the
way in is not what the benchmark measures.
"""

from __future__ import annotations

import random
import time as clock
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

ENROLLED = 5_000
WEEKS = 52
NETWORKS = ("linkedin", "x", "bluesky", "mastodon", "facebook")
DECLARED = {"facebook"}  # shared through a share link, not an API
# Chance that a link is clicked on the day of its share, then on each of the 3 days after.
CLICK_DAYS = (0.9, 0.55, 0.3, 0.2)
ITEM_POOL = 300  # items the year's shares draw from, ~6 new ones a week


class Inserter:
    """Bulk inserts of plain rows into one model's table, defaults filled from the model."""

    def __init__(self, model: Any) -> None:
        from django.db import connection

        self.connection = connection
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.table = model._meta.db_table
        self.next_id = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0

    def _value(self, field: Any, given: dict[str, Any]) -> Any:
        value = given[field.attname] if field.attname in given else field.get_default()
        if field.get_internal_type() in ("DateTimeField", "UUIDField", "DecimalField"):
            return field.get_db_prep_save(value, self.connection)
        return value

    def add(self, **given: Any) -> int:
        """Queues one row; returns its id."""
        pk = self.next_id
        self.next_id += 1
        given["id"] = pk
        self.rows.append(tuple(self._value(field, given) for field in self.fields))
        if len(self.rows) >= 20_000:
            self.flush()
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(str(field.column)) for field in self.fields)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                copy_sql = f"COPY {quote(self.table)} ({columns}) FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                # Names from the model's metadata, values as parameters: nothing from outside.
                statement = f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(statement, self.rows)
        self.count += len(self.rows)
        self.rows.clear()


def _reset_sequences(models: Iterable[Any]) -> None:
    """PostgreSQL's id sequences still start at 1 after explicit ids: move them on."""
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _enrol(program: Any, rng: random.Random) -> list[int]:
    """Enrols people of the organisation until the program has ``ENROLLED``; their ids."""
    from ambassade.people.models import Person
    from ambassade.programs.models import Enrolment

    model = Enrolment.objects.filter(program=program, status=Enrolment.Status.ACTIVE).first()
    assert model is not None, "the program has no active enrolment to copy"
    enrolled = set(Enrolment.objects.filter(program=program).values_list("person_id", flat=True))
    others = list(
        Person.objects.filter(organisation_id=program.organisation_id)
        .exclude(pk__in=enrolled)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = Inserter(Enrolment)
    for person_id in others[: max(0, ENROLLED - len(enrolled))]:
        rows.add(
            program_id=program.pk,
            person_id=person_id,
            ambassador_type_id=model.ambassador_type_id,
            status=Enrolment.Status.ACTIVE,
            accepted_version_id=model.accepted_version_id,
            individual_visibility=rng.random() < 0.5,
            started_at=model.started_at,
        )
    rows.flush()
    return sorted(
        Enrolment.objects.filter(program=program, status=Enrolment.Status.ACTIVE).values_list(
            "person_id", flat=True
        )
    )


def build(program: Any, today: date, seed: int = 3) -> dict[str, Any]:
    """Adds the year of shares and clicks, then rebuilds the daily figures; returns timings."""
    from django.db import transaction

    from ambassade.analytics import rollup
    from ambassade.content.models import ContentItem
    from ambassade.sharing.models import Share, ShareTarget, TargetStatus
    from ambassade.tracking.models import Click, DailyLinkStats, TrackedLink

    rng = random.Random(seed)
    started = clock.monotonic()
    with transaction.atomic():
        people = _enrol(program, rng)
        items = list(
            ContentItem.objects.filter(program=program, status="published")
            .order_by("pk")
            .values_list("pk", flat=True)[:ITEM_POOL]
        )
        assert items, "the program has no published item"
        shares, targets = Inserter(Share), Inserter(ShareTarget)
        links, stats, clicks = Inserter(TrackedLink), Inserter(DailyLinkStats), Inserter(Click)
        organisation = program.organisation_id
        habits = {p: (rng.sample(NETWORKS, 2), rng.randrange(7), rng.randrange(24)) for p in people}
        first_monday = today - timedelta(today.weekday() + 7 * (WEEKS - 1))
        for week in range(WEEKS):
            # The items of the moment: a sliding window over the pool.
            window = items[week * len(items) // WEEKS :][:12] or items[-12:]
            for person in people:
                networks, weekday, hour = habits[person]
                day = first_monday + timedelta(7 * week + weekday)
                if day > today:
                    continue
                moment = datetime.combine(day, time(hour), tzinfo=UTC)
                item = rng.choice(window)
                share = shares.add(
                    organisation_id=organisation,
                    person_id=person,
                    item_id=item,
                    message="…",
                    created_at=moment,
                )
                for network in networks:
                    link = links.add(
                        organisation_id=organisation,
                        code=f"v{links.next_id:x}",
                        destination=f"https://example.com/{item}",
                        person_id=person,
                        network=network,
                        content_item_id=item,
                        share_target_id=targets.next_id,
                        created_at=moment,
                    )
                    declared = network in DECLARED
                    targets.add(
                        share_id=share,
                        organisation_id=organisation,
                        network=network,
                        status=TargetStatus.DECLARED if declared else TargetStatus.PUBLISHED,
                        tracked_link_id=link,
                        published_at=moment,
                        audience=rng.randint(50, 3000),
                        likes=None if declared else rng.randint(0, 20),
                        reposts=None if declared else rng.randint(0, 5),
                        replies=None if declared else rng.randint(0, 3),
                        created_at=moment,
                    )
                    for after, chance in enumerate(CLICK_DAYS):
                        click_day = day + timedelta(after)
                        if click_day > today or rng.random() >= chance:
                            continue
                        count = rng.randint(1, 3)
                        visitors = [f"{link:x}-{after}-{n}" for n in range(rng.randint(1, count))]
                        for n in range(count):
                            clicks.add(
                                organisation_id=organisation,
                                link_id=link,
                                time=datetime.combine(click_day, time(n), tzinfo=UTC),
                                day=click_day,
                                network=network,
                                is_human=True,
                                visitor=visitors[n % len(visitors)],
                                event_id=None,
                            )
                        stats.add(
                            link_id=link,
                            day=click_day,
                            human_clicks=count,
                            unique_visitors=len(visitors),
                        )
        for inserter in (shares, links, targets, stats, clicks):
            inserter.flush()
        _reset_sequences([Share, ShareTarget, TrackedLink, DailyLinkStats, Click])
    raw_seconds = clock.monotonic() - started
    started = clock.monotonic()
    daily_rows = rollup.rebuild()
    return {
        "raw_seconds": round(raw_seconds, 1),
        "rebuild_seconds": round(clock.monotonic() - started, 1),
        "rebuild_rows": daily_rows,
        "share_targets": targets.count,
        "raw_clicks": clicks.count,
    }


def add_synthetic_rows(count: int, days: int, today: date) -> None:
    """Random daily rows of enrolled people sharing their program's items.

    Written day after day, oldest first, as the rollup writes them (it recomputes whole
    days), so that a day's rows sit together on disk as they would in production. With
    executemany rather than bulk_create: five times faster, and the ORM's work on the way
    in is not what this script measures.
    """
    from django.db import connection, transaction

    from ambassade.analytics.models import DailyShareStats
    from ambassade.content.models import ContentItem
    from ambassade.programs.models import Enrolment

    rng = random.Random(2)
    enrolments = list(
        Enrolment.objects.order_by("pk").values_list(
            "program_id", "program__organisation_id", "person_id"
        )
    )
    items: dict[int, list[int]] = defaultdict(list)
    for pk, program_id in ContentItem.objects.filter(program__isnull=False).values_list(
        "pk", "program_id"
    ):
        items[program_id].append(pk)
    networks = ("linkedin", "x", "bluesky", "facebook", "mastodon")
    fields = [f for f in DailyShareStats._meta.concrete_fields if not f.primary_key]
    # Names from the model's metadata, values as parameters: nothing from outside.
    statement = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        connection.ops.quote_name(DailyShareStats._meta.db_table),
        ", ".join(connection.ops.quote_name(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    batch: list[tuple[Any, ...]] = []
    for number in range(count):
        day = today - timedelta(days - 1 - number * days // count)
        program_id, organisation_id, person_id = rng.choice(enrolments)
        clicks = rng.randint(0, 40)
        first_day = rng.random() < 0.3  # a share's first day; the later ones only click
        values = {
            "organisation_id": organisation_id,
            "day": day,
            "program_id": program_id,
            "person_id": person_id,
            "item_id": rng.choice(items[program_id]) if items[program_id] else None,
            "network": rng.choice(networks),
            "shares_published": int(first_day and rng.random() < 0.5),
            "shares_declared": int(first_day and rng.random() < 0.5),
            "human_clicks": clicks,
            "unique_visitors": clicks - rng.randint(0, clicks // 4),
            "potential_reach": rng.randint(50, 3000) if first_day else 0,
            "likes": rng.randint(0, 20),
            "reposts": rng.randint(0, 5),
            "replies": rng.randint(0, 3),
            "impressions": rng.randint(0, 2000),
        }
        batch.append(tuple(values.get(f.attname, 0) for f in fields))
        if len(batch) == 10_000 or number == count - 1:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(statement, batch)
            batch.clear()
    _sum_items()


def _sum_items() -> None:
    """Rows written straight into DailyShareStats: their sums per item, per program and
    per department made again."""
    from django.db import connection, transaction

    from ambassade.analytics import department_sums
    from ambassade.analytics.models import DailyItemStats, DailyProgramStats, DailyShareStats

    keys = ["organisation_id", "day", "program_id", "item_id", "network"]
    counters = [
        f.column
        for f in DailyItemStats._meta.concrete_fields
        if not f.primary_key and f.attname not in keys
    ]
    quote = connection.ops.quote_name
    # Names from the models' metadata only.
    statement = "INSERT INTO {} ({}) SELECT {} FROM {} GROUP BY {}".format(  # noqa: S608
        quote(DailyItemStats._meta.db_table),
        ", ".join(quote(c) for c in keys + counters),
        ", ".join([quote(c) for c in keys] + [f"SUM({quote(c)})" for c in counters]),
        quote(DailyShareStats._meta.db_table),
        ", ".join(quote(c) for c in keys),
    )
    program_keys = [key for key in keys if key != "item_id"]
    # The sums per program from the sums per item, as the rollup makes them.
    per_program = "INSERT INTO {} ({}) SELECT {} FROM {} GROUP BY {}".format(  # noqa: S608
        quote(DailyProgramStats._meta.db_table),
        ", ".join(quote(c) for c in program_keys + counters),
        ", ".join([quote(c) for c in program_keys] + [f"SUM({quote(c)})" for c in counters]),
        quote(DailyItemStats._meta.db_table),
        ", ".join(quote(c) for c in program_keys),
    )
    with transaction.atomic(), connection.cursor() as cursor:
        DailyItemStats.objects.all().delete()
        DailyProgramStats.objects.all().delete()
        cursor.execute(statement)
        cursor.execute(per_program)
        # The department filter's sums too (the rollup writes them with the daily rows).
        department_sums.refill()
