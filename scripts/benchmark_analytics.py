#!/usr/bin/env python3
# ruff: noqa: S603
"""Times every analytics dashboard page and API call against an empty view of the same app.

Builds the demo organisation (10,000 people, 365 days by default) in a temporary
database, signs in as the demo marketer (console pages, API with the session) and the
demo ambassador (/me/figures/), warms each URL once, then times ``--runs`` requests of
each, round-robin so that every URL sees the same machine load. Prints p50 and p95 in
milliseconds and their ratio to GET /healthz measured in the same run; rows whose p95
reaches 300 ms (the target) are marked. Exits non-zero when a response is not 200.

    .venv/bin/python scripts/benchmark_analytics.py [--database sqlite|postgres|both]
        [--people 10000] [--days 365] [--runs 30] [--synthetic-rows 0]

The demo shares for a tenth of the people (at least 300), about twice a month over a
long period; ``--synthetic-rows N`` adds N random daily rows on top (enrolled people,
their program's items, five networks, every day of the range) to measure the dashboards
at a heavier volume as well.

Django reads its settings once per process, so each database is measured in a
subprocess of this script (``--worker``), which prints one JSON line; this process
prints the table. PostgreSQL: the worker creates and drops the database
``ambassade_bench`` on 127.0.0.1:5432 (user postgres), through the ``postgres``
maintenance database; it never touches any other database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

TARGET_MS = 300.0
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "ambassade_bench"
RESULT_PREFIX = "BENCHMARK-RESULT "


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- The worker: one database, one process ------------------------------------------------


def _postgres(statement: str) -> None:
    """Runs CREATE/DROP DATABASE on the maintenance database (outside a transaction)."""
    import psycopg

    # Guard: this script owns one database and must never drop the test databases.
    assert POSTGRES_DATABASE.isidentifier()
    assert POSTGRES_DATABASE != "test" and not POSTGRES_DATABASE.startswith("test_")
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def _configure(database: str, directory: str) -> None:
    url = (
        f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}"
        if database == "postgres"
        else f"sqlite:///{directory}/benchmark.sqlite3"
    )
    os.environ.update(
        {
            "DATA_DIR": directory,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "ambassade.settings",
            "LOG_LEVEL": "warning",
            # Plain static storage: no collectstatic manifest in a temporary directory.
            "AMBASSADE_TESTING": "1",
        }
    )
    os.environ.pop("REDIS_URL", None)


def _urls(program_id: int, department_id: int, person_id: int) -> list[tuple[str, str]]:
    """(who, path) of every timed request; "marketer" or "ambassador" signs it in."""
    console = f"/console/analytics/programs/{program_id}"
    api = f"/api/v1/analytics/programs/{program_id}"
    return [
        ("marketer", f"{console}/?days=90"),
        ("marketer", f"{console}/?days=365"),
        ("marketer", f"{console}/?days=90&department={department_id}"),
        ("marketer", f"{console}/?days=90&network=linkedin"),
        ("marketer", f"{console}/content/?days=90"),
        ("marketer", f"{console}/networks/?days=90"),
        ("marketer", f"{console}/people/?days=90"),
        ("marketer", f"{console}/people/{person_id}/?days=365"),
        ("ambassador", "/me/figures/?days=365"),
        ("marketer", f"{api}?days=90"),
        ("marketer", f"{api}/content?days=90"),
        ("marketer", f"{api}/networks?days=90"),
        ("marketer", f"{api}/people?days=90"),
        ("marketer", f"{console}/people/?days=90&export=all&format=xlsx"),
        ("marketer", "/healthz"),
    ]


def _add_synthetic_rows(count: int, days: int, today: date) -> None:
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


def worker(database: str, people: int, days: int, runs: int, synthetic: int) -> dict[str, Any]:
    directory = tempfile.mkdtemp(prefix="ambassade-benchmark-")
    _configure(database, directory)
    if database == "postgres":
        _postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        _postgres(f"CREATE DATABASE {POSTGRES_DATABASE}")
    try:
        return _measure(database, people, days, runs, synthetic)
    finally:
        from django.db import connections

        connections.close_all()
        if database == "postgres":
            _postgres(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
        shutil.rmtree(directory, ignore_errors=True)


def _measure(database: str, people: int, days: int, runs: int, synthetic: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count, Sum
    from django.test import Client
    from django.test.utils import setup_test_environment

    from ambassade.analytics.models import DailyShareStats
    from ambassade.analytics.views import utc_today
    from ambassade.core import demo
    from ambassade.people.models import Person
    from ambassade.programs.models import Enrolment, Program
    from ambassade.tracking.models import Click

    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    demo.build(people=people, days=days, seed=1, today=utc_today(), progress=lambda step: None)
    if synthetic:
        _add_synthetic_rows(synthetic, days, utc_today())
    build_seconds = time.monotonic() - started
    if database == "postgres":
        # A freshly loaded table has no statistics yet; autovacuum would add them soon.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    marketer = Person.objects.get(email="marketing@verdier.example")
    ambassador = Person.objects.get(email="ambassadeur@verdier.example")
    program = (
        Program.objects.filter(organisation=marketer.organisation)
        .annotate(enrolled=Count("enrolments"))
        .order_by("-enrolled", "pk")
        .first()
    )
    assert program is not None, "the demo has no program"
    department = (
        Enrolment.objects.filter(program=program, person__department__isnull=False)
        .values("person__department_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "person__department_id")
        .first()
    )
    assert department is not None, "nobody of the program has a department"
    # The opted-in person with the most daily rows: the heaviest one-person page.
    visible = Enrolment.objects.filter(program=program, individual_visibility=True).exclude(
        status=Enrolment.Status.ENDED
    )
    busiest = (
        DailyShareStats.objects.filter(program=program, person_id__in=visible.values("person_id"))
        .values("person_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "person_id")
        .first()
    )
    person_id = busiest["person_id"] if busiest else visible.values_list("person_id", flat=True)[0]

    assert marketer.user is not None and ambassador.user is not None
    clients = {"marketer": Client(), "ambassador": Client()}
    clients["marketer"].force_login(marketer.user)
    clients["ambassador"].force_login(ambassador.user)
    urls = _urls(program.pk, department["person__department_id"], person_id)
    failures: list[str] = []

    def get(who: str, path: str) -> float:
        begin = time.perf_counter()
        response = clients[who].get(path)
        elapsed = (time.perf_counter() - begin) * 1000
        if response.status_code != 200:
            failures.append(f"{path}: {response.status_code}")
        return elapsed

    for who, path in urls:  # warm the template loader, the caches and the database
        get(who, path)
    timings: dict[str, list[float]] = {path: [] for _who, path in urls}
    for _ in range(runs):  # round-robin: every URL sees the same machine load
        for who, path in urls:
            timings[path].append(get(who, path))
    return {
        "database": database,
        "people": Person.objects.count(),
        "daily_rows": DailyShareStats.objects.count(),
        # The demo writes daily link figures, not raw clicks: both are counted.
        "raw_clicks": Click.objects.count(),
        "human_clicks": DailyShareStats.objects.aggregate(n=Sum("human_clicks"))["n"] or 0,
        "enrolments": Enrolment.objects.filter(program=program).count(),
        "program": program.pk,
        "build_seconds": round(build_seconds, 1),
        "synthetic_rows": synthetic,
        "runs": runs,
        "failures": failures,
        "rows": [
            {
                "path": path,
                "who": who,
                "p50": percentile(timings[path], 0.5),
                "p95": percentile(timings[path], 0.95),
            }
            for who, path in urls
        ],
    }


# --- The driver: one subprocess per database, then one table -------------------------------


def _run_worker(database: str, arguments: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        "--database",
        database,
        "--people",
        str(arguments.people),
        "--days",
        str(arguments.days),
        "--runs",
        str(arguments.runs),
        "--synthetic-rows",
        str(arguments.synthetic_rows),
    ]
    print(f"{database}: building the demo and measuring…", flush=True)
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    for line in finished.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
            return result
    sys.stderr.write(finished.stdout[-4000:] + finished.stderr[-4000:])
    raise SystemExit(f"{database}: the worker failed (exit {finished.returncode})")


def _print(result: dict[str, Any]) -> bool:
    rows = result["rows"]
    empty = next(row for row in rows if row["path"] == "/healthz")
    print(
        f"\n== {result['database']}: {result['people']} people, "
        f"{result['daily_rows']} DailyShareStats rows, {result['raw_clicks']} raw clicks "
        f"({result['human_clicks']} human clicks rolled up); "
        f"demo built in {result['build_seconds']} s"
        + (f" with {result['synthetic_rows']} synthetic rows" if result["synthetic_rows"] else "")
        + f"; program {result['program']} "
        f"({result['enrolments']} enrolments); {result['runs']} runs per URL"
    )
    width = max(len(row["path"]) for row in rows)
    print(f"{'URL':{width}}  {'p50 ms':>8}  {'p95 ms':>8}  {'p50 ×':>7}  {'p95 ×':>7}")
    slow = False
    for row in rows:
        mark = ""
        if row["p95"] >= TARGET_MS:
            mark, slow = "  <-- p95 >= 300 ms", True
        print(
            f"{row['path']:{width}}  {row['p50']:8.1f}  {row['p95']:8.1f}  "
            f"{row['p50'] / empty['p50']:7.1f}  {row['p95'] / empty['p95']:7.1f}{mark}"
        )
    for failure in result["failures"]:
        print(f"NOT 200: {failure}")
    return slow


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--synthetic-rows", type=int, default=0)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        assert arguments.database != "both"
        result = worker(
            arguments.database,
            arguments.people,
            arguments.days,
            arguments.runs,
            arguments.synthetic_rows,
        )
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return
    databases = ["sqlite", "postgres"] if arguments.database == "both" else [arguments.database]
    results = [_run_worker(database, arguments) for database in databases]
    slow = [_print(result) for result in results]
    print(f"\ntarget: p95 < {TARGET_MS:.0f} ms on every page; × = ratio to /healthz", flush=True)
    if any(result["failures"] for result in results):
        raise SystemExit(1)
    if any(slow):
        print("some pages miss the target (marked above)")


if __name__ == "__main__":
    main()
