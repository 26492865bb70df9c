"""Simulated visitors following tracked links, for chaos_publishing.py.

tracking/visitors.py tells visitors apart by network address and user agent (a keyed
hash per organisation and UTC day); cookies only matter for the sharer's own session.
Behind a proxy (``TRUST_X_FORWARDED_FOR=true``) the address is the last
``X-Forwarded-For`` entry, so each simulated visitor is one address and one browser.
Each visitor clicks at most ``PER_VISITOR`` times in all, under the flood limit (30 a
minute), so that every click sent is a human click to count.
"""

from __future__ import annotations

import http.client
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

PER_VISITOR = 15
BROWSERS = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.{n}.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.{n}",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.{n} Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.{n}.0 Safari/537.36 Edg/130.0.{n}.0",
)


@dataclass
class Sent:
    redirected: int = 0  # answered 302: a click the product must count
    other: Counter[int] = field(default_factory=Counter)  # other answers, by status
    errors: int = 0  # no answer at all: the server may or may not have counted it
    seen: set[tuple[str, str, int]] = field(default_factory=set)  # (code, UTC day, visitor)
    unanswered: set[tuple[str, str, int]] = field(default_factory=set)  # the same, no answer
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def unique_visitors(self) -> int:
        """Distinct visitors per link and UTC day, summed: what the daily counters add up."""
        return len(self.seen)

    @property
    def unique_visitors_at_most(self) -> int:
        """With the visitors of clicks that got no answer (maybe counted, maybe not)."""
        return len(self.seen | self.unanswered)


def visitors(count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    found: set[tuple[str, str]] = set()
    while len(found) < count:
        address = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        agent = rng.choice(BROWSERS).format(n=rng.randrange(1, 400))
        found.add((address, agent))
    return sorted(found)


def plan(codes: list[str], clicks: int, seed: int) -> tuple[list[tuple[str, int]], list]:
    """(code, visitor number) for each click, in a random order, and the visitors."""
    rng = random.Random(seed)
    people = visitors(max(1, -(-clicks // PER_VISITOR)), seed)
    order = [(rng.choice(codes), number % len(people)) for number in range(clicks)]
    rng.shuffle(order)
    return order, people


def send(
    port: int, codes: list[str], clicks: int, seed: int, *, seconds: float, threads: int = 4
) -> Sent:
    """Sends the clicks at an even pace over ``seconds`` (faster if the server is slow to
    answer), so that the workers keep the machine's cores while visitors come."""
    order, people = plan(codes, clicks, seed)
    sent = Sent()
    began = time.monotonic()
    step = seconds / max(1, clicks)

    def run(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for index in range(offset, len(order), threads):
            code, number = order[index]
            pause = began + index * step - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            address, agent = people[number]
            day = datetime.now(UTC).date().toordinal()
            try:
                connection.request(
                    "GET",
                    f"/r/{code}",
                    headers={
                        "User-Agent": agent,
                        "X-Forwarded-For": address,
                        "Accept-Language": "fr-FR,fr;q=0.9",
                    },
                )
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                with sent.lock:
                    sent.errors += 1
                    sent.unanswered.add((code, str(day), number))
                time.sleep(0.05)
                continue
            with sent.lock:
                if response.status == 302:
                    sent.redirected += 1
                    sent.seen.add((code, str(day), number))
                else:
                    sent.other[response.status] += 1
        connection.close()

    workers = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sent
