#!/usr/bin/env python3
# ruff: noqa: S603
"""Times every analytics dashboard page and API call against an empty view of the same app.

Builds the demo organisation (10,000 people, 365 days by default) in a temporary
database, signs in as the demo marketer (console pages, API with the session) and the
demo ambassador (/me/figures/), warms each URL once, then times ``--runs`` requests of
each, round-robin so that every URL sees the same machine load. Prints p50 and p95 in
milliseconds and their ratio to GET /healthz measured in the same run; rows whose p95
reaches 150 ms or 10 times /healthz's (the targets) are marked. Exits non-zero when a
response is not 200.

    .venv/bin/python scripts/benchmark_analytics.py [--database sqlite|postgres|both]
        [--people 10000] [--days 365] [--runs 30] [--synthetic-rows 0]
        [--volume demo|large] [--feed-seconds 0] [--keep DIR | --reuse DIR]

The demo shares for a tenth of the people (at least 300), about twice a month over a
long period; ``--synthetic-rows N`` adds N random daily rows on top (enrolled people,
their program's items, five networks, every day of the range) to measure the dashboards
at a heavier volume as well. ``--volume large`` grows the biggest program to 5,000
enrolled people sharing weekly for a year, built from raw data (``analytics_volume.py``:
about a million daily rows), and times ``rebuild_analytics`` over it; ``--feed-seconds N``
then feeds clicks at 100 a second through the buffer, the ingestion and the rollup
(``analytics_feed.py``) and reports how they keep up.

Building the large volume takes minutes; ``--keep DIR`` keeps what was built (the SQLite
file and the data folder in DIR/<database>/, and on PostgreSQL the database
``ambassade_bench_analytics_kept``), and ``--reuse DIR`` measures it again without
building (the migrations added since are applied and one rollup run fills what they
add), so that a change of code is measured in a minute or two. The kept data ends on
the day it was built: reuse it that day.

Django reads its settings once per process, so each database is measured in a
subprocess of this script (``--worker``), which prints one JSON line; this process
prints the table. PostgreSQL: the worker creates and drops the database
``ambassade_bench_analytics`` on 127.0.0.1:5432 (user postgres), through the ``postgres``
maintenance database; it never touches any other database.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# The code of this checkout, not whichever copy of the package the virtualenv points to.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_MS = 150.0
TARGET_RATIO = 10.0  # p95 against /healthz's p95 in the same run
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "ambassade_bench_analytics"
KEPT_POSTGRES_DATABASE = "ambassade_bench_analytics_kept"  # --keep / --reuse
RESULT_PREFIX = "BENCHMARK-RESULT "


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- The worker: one database, one process ------------------------------------------------


def _postgres(statement: str) -> None:
    """Runs CREATE/DROP DATABASE on the maintenance database (outside a transaction)."""
    import psycopg

    # Guard: this script owns two databases and must never drop the test databases.
    for name in (POSTGRES_DATABASE, KEPT_POSTGRES_DATABASE):
        assert name.isidentifier()
        assert name != "test" and not name.startswith("test_")
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def _configure(database: str, directory: str, name: str) -> None:
    url = (
        f"{POSTGRES_SERVER}/{name}"
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
            # No worker runs here: the tasks the build queued age past the 15 minutes after
            # which /healthz answers 503 (a kept volume is older); it does the same work.
            "HEALTH_MAX_TASK_AGE_SECONDS": str(7 * 86_400),
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


def _biggest_program() -> Any:
    """The program with the most enrolments: the one measured (and grown by the large volume)."""
    from django.db.models import Count

    from ambassade.programs.models import Program

    program = (
        Program.objects.annotate(enrolled=Count("enrolments")).order_by("-enrolled", "pk").first()
    )
    assert program is not None, "the demo has no program"
    return program


def worker(
    database: str,
    people: int,
    days: int,
    runs: int,
    synthetic: int,
    volume: str,
    feed: int,
    kept: str = "",
    reuse: bool = False,
) -> dict[str, Any]:
    """Measures one database; ``kept``: the folder to build into and keep (or to reuse)."""
    if kept:
        directory = str(Path(kept).resolve() / database)
        name = KEPT_POSTGRES_DATABASE
        if reuse and not (Path(directory) / BUILD_FILE).exists():
            raise SystemExit(f"{directory}: nothing was kept there (no {BUILD_FILE})")
        if not reuse:
            shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)
    else:
        directory, name = tempfile.mkdtemp(prefix="ambassade-benchmark-"), POSTGRES_DATABASE
    _configure(database, directory, name)
    if database == "postgres" and not reuse:
        _postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _postgres(f"CREATE DATABASE {name}")
    try:
        result = _measure(database, people, days, runs, synthetic, volume, directory, reuse)
        if feed:
            import analytics_feed

            result["feed"] = analytics_feed.feed(feed)
        return result
    finally:
        from django.db import connections

        connections.close_all()
        if not kept:
            if database == "postgres":
                _postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            shutil.rmtree(directory, ignore_errors=True)


BUILD_FILE = "build.json"  # in a kept folder: how the data was built, for --reuse


def _build(
    people: int, days: int, synthetic: int, volume: str, directory: str, reuse: bool
) -> dict[str, Any]:
    """Builds the demo (and the volume asked for), or reads how the kept one was built."""
    from django.core.management import call_command

    from ambassade.analytics.views import utc_today
    from ambassade.core import demo

    kept = Path(directory) / BUILD_FILE
    call_command("migrate", verbosity=0)
    if reuse:
        built: dict[str, Any] = json.loads(kept.read_text())
        if built["day"] != utc_today().isoformat():
            # The volume ends on the day it was built; "the last 90 days" would miss some.
            raise SystemExit(f"{directory} was built on {built['day']}: build it again")
        from ambassade.analytics import rollup

        # What the periodic run does after an upgrade (or the first run of a day): tables
        # the kept data does not have yet are filled, the sums of every range moved on.
        started = time.monotonic()
        rollup.update()
        built["rollup_seconds"] = round(time.monotonic() - started, 1)
        return built
    started = time.monotonic()
    demo.build(people=people, days=days, seed=1, today=utc_today(), progress=lambda step: None)
    if synthetic:
        import analytics_volume

        analytics_volume.add_synthetic_rows(synthetic, days, utc_today())
    large: dict[str, Any] = {}
    if volume == "large":
        import analytics_volume

        large = analytics_volume.build(_biggest_program(), utc_today())
    built = {
        "day": utc_today().isoformat(),
        "build_seconds": round(time.monotonic() - started, 1),
        "synthetic_rows": synthetic,
        "volume": volume,
        "large": large,
    }
    kept.write_text(json.dumps(built))
    return built


def _measure(
    database: str,
    people: int,
    days: int,
    runs: int,
    synthetic: int,
    volume: str,
    directory: str,
    reuse: bool,
) -> dict[str, Any]:
    import django

    django.setup()
    from django.db.models import Count, Sum
    from django.test import Client
    from django.test.utils import setup_test_environment

    from ambassade.analytics.models import DailyShareStats
    from ambassade.people.models import Person
    from ambassade.programs.models import Enrolment
    from ambassade.tracking.models import Click

    setup_test_environment()
    built = _build(people, days, synthetic, volume, directory, reuse)
    if database == "postgres":
        # A freshly loaded table has no statistics yet; autovacuum would add them soon.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    marketer = Person.objects.get(email="marketing@verdier.example")
    ambassador = Person.objects.get(email="ambassadeur@verdier.example")
    program = _biggest_program()
    assert program.organisation_id == marketer.organisation_id
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

    # What a worker of the web server does once Django's URLs are loaded, before its first
    # request (ambassade/asgi.py, load_django_urls): what is loaded by then stays out of
    # the collector's full passes, which would otherwise walk it (and, here, what building
    # the volume left) in the middle of a request.
    gc.collect()
    gc.freeze()
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
        "build_seconds": built["build_seconds"],
        "reused": reuse,
        "rollup_seconds": built.get("rollup_seconds"),
        "synthetic_rows": built["synthetic_rows"],
        "volume": built["volume"],
        "large": built["large"],
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
        "--volume",
        arguments.volume,
        "--feed-seconds",
        str(arguments.feed_seconds),
    ]
    if arguments.keep or arguments.reuse:
        command += ["--reuse" if arguments.reuse else "--keep", arguments.keep or arguments.reuse]
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
        + ("kept demo, built" if result["reused"] else "demo built")
        + f" in {result['build_seconds']} s"
        + (f" with {result['synthetic_rows']} synthetic rows" if result["synthetic_rows"] else "")
        + f"; program {result['program']} "
        f"({result['enrolments']} enrolments); {result['runs']} runs per URL"
    )
    if result.get("rollup_seconds") is not None:
        print(f"kept data: one rollup run (new tables filled) took {result['rollup_seconds']} s")
    large = result["large"]
    if large:
        print(
            f"large volume: {large['share_targets']} share targets and {large['raw_clicks']} raw "
            f"clicks inserted in {large['raw_seconds']} s; rebuild_analytics over the year: "
            f"{large['rebuild_rows']} daily rows in {large['rebuild_seconds']} s (target < 600 s)"
        )
    width = max(len(row["path"]) for row in rows)
    print(f"{'URL':{width}}  {'p50 ms':>8}  {'p95 ms':>8}  {'p50 ×':>7}  {'p95 ×':>7}")
    slow = False
    for row in rows:
        mark = ""
        if row is not empty and row["p95"] >= TARGET_MS:
            mark, slow = f"  <-- p95 >= {TARGET_MS:.0f} ms", True
        if row is not empty and row["p95"] >= TARGET_RATIO * empty["p95"]:
            mark, slow = mark + f"  <-- p95 >= {TARGET_RATIO:.0f}× /healthz", True
        print(
            f"{row['path']:{width}}  {row['p50']:8.1f}  {row['p95']:8.1f}  "
            f"{row['p50'] / empty['p50']:7.1f}  {row['p95'] / empty['p95']:7.1f}{mark}"
        )
    feed = result.get("feed")
    if feed:
        print(
            f"rollup at {feed['rate']} clicks/s for {feed['seconds']} s: {feed['rolled_up']} of "
            f"{feed['fed']} clicks in the daily figures {feed['lag_seconds']} s after the last "
            f"(spool files are read once their minute is over); slowest ingestion "
            f"{feed['ingest_max']} s (every 10 s, {feed['ingest_runs']} runs), slowest rollup "
            f"{feed['rollup_max']} s ({feed['rollup_runs']} runs)"
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
    parser.add_argument(
        "--volume",
        choices=("demo", "large"),
        default="demo",
        help="large: 5,000 people of one program sharing weekly for a year (~1M daily rows)",
    )
    parser.add_argument(
        "--feed-seconds",
        type=int,
        default=0,
        help="after the pages: this long at 100 clicks/s through buffer, ingestion and rollup",
    )
    kept = parser.add_mutually_exclusive_group()
    kept.add_argument("--keep", metavar="DIR", help="build into DIR and keep it for --reuse")
    kept.add_argument("--reuse", metavar="DIR", help="measure what --keep DIR built today")
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
            arguments.volume,
            arguments.feed_seconds,
            arguments.keep or arguments.reuse or "",
            bool(arguments.reuse),
        )
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return
    databases = ["sqlite", "postgres"] if arguments.database == "both" else [arguments.database]
    results = [_run_worker(database, arguments) for database in databases]
    slow = [_print(result) for result in results]
    print(
        f"\ntarget: p95 < {TARGET_MS:.0f} ms and < {TARGET_RATIO:.0f}× /healthz on every page; "
        f"× = ratio to /healthz; load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}",
        flush=True,
    )
    if any(result["failures"] for result in results):
        raise SystemExit(1)
    if any(slow):
        print("some pages miss the target (marked above)")


if __name__ == "__main__":
    main()
