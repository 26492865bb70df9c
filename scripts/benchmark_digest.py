"""Times the weekly e-mail digest of the demo organisation against plain mails.

Builds the demo organisation (10,000 people by default) in a temporary SQLite database,
starts a local SMTP server (aiosmtpd), then, in the same run:

1. the digest: the 15-minute job at Monday 09:05 in the organisation's time zone claims
   every digest due, and one worker (``db_worker``, in this process) sends them;
2. the baseline: as many plain mails sent with core.mail (text and HTML part).

It prints the time and the peak memory (getrusage; tracemalloc with --trace-memory) of each,
and checks that nobody received two digests for the period.

    .venv/bin/python scripts/benchmark_digest.py [--people 10000] [--days 90] [--trace-memory]
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import resource
import signal
import socket
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

TARGET_SECONDS = 120


class Inbox:
    def __init__(self) -> None:
        self.recipients: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def measure(label: str, work: Callable[[], int], trace: bool) -> tuple[int, float]:
    """Wall time, CPU time of this process, and memory: the process's peak resident size
    after the phase (getrusage), or with --trace-memory the phase's own Python peak
    (tracemalloc, several times slower, so its times are not comparable with the target).
    """
    if trace:
        tracemalloc.start()
    begin, cpu = time.perf_counter(), time.process_time()
    count = work()
    elapsed, cpu = time.perf_counter() - begin, time.process_time() - cpu
    if trace:
        memory = f"python peak {tracemalloc.get_traced_memory()[1] / 2**20:7.1f} MiB"
        tracemalloc.stop()
    else:
        memory = (
            f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:7.1f} MiB"
        )
    print(
        f"{label:<32} {count:>6} mails  {elapsed:7.1f} s wall  {cpu:7.1f} s CPU  {memory}",
        flush=True,
    )
    return count, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--trace-memory", action="store_true")
    arguments = parser.parse_args()
    faulthandler.register(signal.SIGUSR1)  # `kill -USR1 <pid>` prints where it is

    directory = tempfile.mkdtemp(prefix="ambassade-benchmark-")
    os.environ.update(
        {
            "DATA_DIR": directory,
            "DATABASE_URL": f"sqlite:///{directory}/benchmark.sqlite3",
            "DJANGO_SETTINGS_MODULE": "ambassade.settings",
            "LOG_LEVEL": "warning",
            "AMBASSADE_TESTING": "1",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    import logging

    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.mail.utils import DNS_NAME
    from django.core.management import call_command

    from ambassade.core import demo, mail
    from ambassade.digests import actions
    from ambassade.digests.models import DigestSent
    from ambassade.people.models import Person

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    today = date.today()
    demo.build(people=arguments.people, days=arguments.days, seed=1, today=today, progress=print)
    print(f"demo: {Person.objects.count()} people in {time.monotonic() - started:.1f}s")

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    DNS_NAME._fqdn = "localhost"  # no reverse DNS look-up when greeting the server

    # This week's Monday, 09:05 in the organisation's time zone (the default schedule).
    zone = ZoneInfo("Europe/Paris")
    monday = today - timedelta(days=today.weekday())
    moment = datetime(monday.year, monday.month, monday.day, 9, 5, tzinfo=zone)

    def digest() -> int:
        actions.claim_due(moment)
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        return len(inbox.recipients)

    count, digest_seconds = measure(
        "weekly digest (job + 1 worker)", digest, arguments.trace_memory
    )
    received = Counter(inbox.recipients)
    twice = [address for address, times in received.items() if times > 1]
    claims = DigestSent.objects.count()
    sent = DigestSent.objects.filter(sent_at__isnull=False).count()
    periods = DigestSent.objects.values("person_id", "period").distinct().count()

    people = list(Person.objects.exclude(email="").values_list("email", flat=True)[: max(count, 1)])
    inbox.recipients.clear()

    def baseline() -> int:
        for address in people[:count]:
            mail.send(
                organisation_slug="verdier",
                subject="Une nouvelle à partager",
                body="Bonjour,\n\nVoici une nouvelle à partager.\n\nOuvrir : https://example.org/",
                to=[address],
                action_url="https://example.org/",
            )
        return len(inbox.recipients)

    measure("baseline: core.mail.send", baseline, arguments.trace_memory)
    controller.stop()
    print(f"claims {claims}, sent {sent}, distinct (person, period) {periods}")
    print(f"people who received two digests: {len(twice)}")
    verdict = "within" if digest_seconds < TARGET_SECONDS else "OVER"
    print(f"digest {verdict} the {TARGET_SECONDS} s target")
    if twice or periods != claims:
        raise SystemExit("a person received two digests")


if __name__ == "__main__":
    main()
