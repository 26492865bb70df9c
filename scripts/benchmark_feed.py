"""Times the ambassador's feed page against an empty page of the same app.

Builds the demo organisation (10,000 people and about 20,000 content items by default)
in a temporary SQLite database, signs in as the demo ambassador with Django's test
client, and prints p50/p95 of GET /feed/ and of GET /healthz, measured in the same run,
and their ratio.

    .venv/bin/python scripts/benchmark_feed.py [--people 10000] [--days 365] [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--runs", type=int, default=200)
    arguments = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="ambassade-benchmark-")
    os.environ.update(
        {
            "DATA_DIR": directory,
            "DATABASE_URL": f"sqlite:///{directory}/benchmark.sqlite3",
            "DJANGO_SETTINGS_MODULE": "ambassade.settings",
            "LOG_LEVEL": "warning",
            # Plain static storage: no collectstatic manifest in a temporary directory.
            "AMBASSADE_TESTING": "1",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from ambassade.content.models import ContentItem
    from ambassade.core import demo
    from ambassade.people.models import Person

    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    demo.build(
        people=arguments.people,
        days=arguments.days,
        seed=1,
        today=date.today(),
        progress=lambda step: None,
    )
    print(
        f"demo: {Person.objects.count()} people, {ContentItem.objects.count()} items "
        f"in {time.monotonic() - started:.1f}s"
    )
    ambassador = Person.objects.get(email="ambassadeur@verdier.example")
    client = Client()
    client.force_login(ambassador.user)
    assert client.get("/feed/").status_code == 200

    def measure(path: str, runs: int) -> list[float]:
        timings = []
        for _ in range(runs):
            begin = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code in {200, 503}, (path, response.status_code)
        return timings

    for _ in range(10):  # warm up caches and the template loader
        client.get("/feed/")
        client.get("/healthz")
    feed, empty = [], []
    for _ in range(4):  # interleaved, so both see the same machine load
        feed += measure("/feed/", max(1, arguments.runs // 4))
        empty += measure("/healthz", max(1, arguments.runs // 4))
    results = {
        "/feed/": (percentile(feed, 0.5), percentile(feed, 0.95)),
        "/healthz": (percentile(empty, 0.5), percentile(empty, 0.95)),
    }
    for path, (p50, p95) in results.items():
        print(f"{path:10} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   (n={len(feed)})")
    print(
        f"ratio feed/empty: p50 {results['/feed/'][0] / results['/healthz'][0]:.1f}x   "
        f"p95 {results['/feed/'][1] / results['/healthz'][1]:.1f}x   "
        f"(mean feed {statistics.mean(feed):.2f} ms)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
