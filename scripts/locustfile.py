"""Simulated ambassadors and their audience, for scripts/load_test.py (locust).

Reads the plan that load_test.py wrote (LOAD_TEST_PLAN) and writes what it measured to
LOAD_TEST_RESULT when the run stops. Each ambassador, from an address of their own on
loopback (127.1.x.y): signs in with the password form, or arrives with the session their
browser kept; opens the feed, the composer, shares their item to their Bluesky account
(the local PDS), lands on My posts, opens My figures; meanwhile their audience, each
visitor from another loopback address without cookies, clicks their short links on the
short domain or on /r/ of the main domain. Then the clicks go on every minute or two,
and one time in five the ambassador looks at their figures again. Waits are scaled by
LOAD_TEST_THINK (1 = the waits of a person; a one-minute run uses less).

A probe user requests /healthz and a static file through the same nginx during the whole
run: the baseline, measured under the same load.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import gevent
import requests
from locust import HttpUser, constant, constant_throughput, events, task
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InsecureRequestWarning

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_TEST_PLAN"]).read_text())
RESULT = Path(os.environ["LOAD_TEST_RESULT"])
THINK = float(os.environ.get("LOAD_TEST_THINK", "1"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BROWSERS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
)
WORDS = [
    "équipe",
    "projet",
    "talents",
    "rejoindre",
    "curieux",
    "semaine",
    "clients",
    "fierté",
    "recrute",
    "nouveau",
    "site",
    "innovation",
    "partage",
    "collègues",
    "métier",
    "découvrir",
    "atelier",
    "avenir",
    "idées",
    "formation",
    "carrière",
]
# Kinds of request, for the figures: a page a person waits for, the password sign-in
# (its cost is the password hash, on purpose), a click, the baseline.
KIND_OF = {
    "sign-in": "sign_in",
    "click": "click",
    "probe /healthz": "healthz",
    "probe static": "static",
}
timings: dict[str, list[float]] = defaultdict(list)
failures: dict[str, int] = defaultdict(int)
requests_by_kind: dict[str, int] = defaultdict(int)
_next = itertools.count()
_visitors = itertools.count()
requests.packages.urllib3.disable_warnings(InsecureRequestWarning)  # type: ignore[attr-defined]


class SourceAddress(HTTPAdapter):
    """Connections from one loopback address: the app sees one address per person."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(pool_connections=2, pool_maxsize=2)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def _kind(name: str) -> str:
    return next((kind for prefix, kind in KIND_OF.items() if name.startswith(prefix)), "page")


@events.request.add_listener
def _record(name: str, response_time: float, exception: Any, **_: Any) -> None:
    kind = _kind(name)
    requests_by_kind[kind] += 1
    timings[kind].append(response_time)
    if exception is not None:
        failures[f"{name}: {str(exception)[:120]}"] += 1


@events.quitting.add_listener
def _write(**_: Any) -> None:
    RESULT.write_text(
        json.dumps({"timings": timings, "failures": failures, "requests": requests_by_kind})
    )


def _think(low: float, high: float) -> None:
    gevent.sleep(random.uniform(low, high) * THINK)


def _visitor_address() -> str:
    number = next(_visitors) % 60_000
    return f"127.2.{number // 250}.{number % 250 + 1}"


class Ambassador(HttpUser):
    host = PLAN["origin"]
    wait_time = constant(0)  # the task waits like a person itself

    def on_start(self) -> None:
        number = next(_next)
        self.me: dict[str, Any] = PLAN["ambassadors"][number % len(PLAN["ambassadors"])]
        self.client.verify = False
        self.client.mount("https://", SourceAddress(self.me["address"]))
        self.client.headers.update(
            {"Host": PLAN["main_host"], "User-Agent": random.choice(BROWSERS)}
        )
        self.shared = False
        _think(0, 5)  # people do not arrive on the same second

    def _page(self, path: str, name: str) -> str:
        with self.client.get(path, name=name, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")
            return str(answer.text)

    def _post(self, path: str, data: dict[str, Any], name: str, lands_on: str) -> None:
        """A form sent; it fails unless the redirect chain ends on ``lands_on``."""
        headers = {"Referer": f"https://{PLAN['main_host']}{path}"}
        with self.client.post(
            path, data=data, headers=headers, name=name, catch_response=True
        ) as answer:
            landed = answer.url.split("?", 1)[0] if answer.url else ""
            if answer.status_code != 200 or not re.search(lands_on, landed):
                answer.failure(f"HTTP {answer.status_code}, landed on {landed}")

    def _sign_in(self) -> None:
        page = self._page("/accounts/login/", "login page")
        found = CSRF.search(page)
        self._post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": found.group(1) if found else "",
                "login": self.me["email"],
                "password": self.me["password"],
            },
            "sign-in (password hash)",
            r"^https://[^/]+/(?!accounts/login)",
        )

    def _share(self) -> None:
        item = self.me["item"]
        page = self._page(f"/share/{item}/", "composer")
        found = CSRF.search(page)
        _think(10, 30)  # writing the message
        message = " ".join(random.choice(WORDS) for _ in range(12)).capitalize() + " !"
        self._post(
            f"/share/{item}/",
            {
                "csrfmiddlewaretoken": found.group(1) if found else "",
                "message": message,
                "accounts": str(self.me["account"]),
                "when": "now",
            },
            "share (lands on My posts)",
            r"/me/posts/$",
        )

    def _clicks(self) -> None:
        """The audience of earlier posts: new visitors, without cookies."""
        for _ in range(random.randint(1, 3)):
            code = random.choice(self.me["links"])
            short_domain = random.random() < 0.5
            visitor = requests.Session()
            visitor.mount("https://", SourceAddress(_visitor_address()))
            host = PLAN["short_host"] if short_domain else PLAN["main_host"]
            name = "click (short domain)" if short_domain else "click (/r/ on main domain)"
            started = time.perf_counter()
            exception: Exception | None = None
            try:
                answer = visitor.get(
                    f"{PLAN['origin']}/r/{code}",
                    headers={"Host": host, "User-Agent": random.choice(BROWSERS)},
                    allow_redirects=False,
                    timeout=30,
                    # Per request: REQUESTS_CA_BUNDLE in the environment overrides a
                    # session's verify (requests' behaviour); the certificate is self-signed.
                    verify=False,
                )
                if answer.status_code != 302:
                    exception = RuntimeError(f"HTTP {answer.status_code}")
            except requests.RequestException as error:
                exception = error
            finally:
                visitor.close()
            elapsed = (time.perf_counter() - started) * 1000
            self.environment.events.request.fire(
                request_type="GET",
                name=name,
                response_time=elapsed,
                response_length=0,
                exception=exception,
                context={},
            )
            _think(0.5, 3)

    @task
    def visit(self) -> None:
        if not self.shared:
            if self.me["password"]:
                self._sign_in()
            else:
                self.client.cookies.set("sessionid", self.me["session"])
            _think(2, 6)
            self._page("/feed/", "feed")
            _think(5, 15)
            self._share()
            self.shared = True
            _think(5, 15)
            self._page("/me/figures/", "my figures")
            self._clicks()
        else:
            # Afterwards the audience keeps clicking; now and then the ambassador looks
            # at their figures again (the scenario of the issue is one visit each: a
            # visit a minute per person would be twenty times a real morning's pages).
            _think(60, 120)
            if random.random() < 0.2:
                self._page("/me/figures/", "my figures")
            self._clicks()


class Probe(HttpUser):
    """The baseline: what nginx and the app answer at once, under the same load."""

    host = PLAN["origin"]
    fixed_count = 1
    wait_time = constant_throughput(4)

    def on_start(self) -> None:
        self.client.verify = False
        self.client.headers.update({"Host": PLAN["main_host"]})

    @task
    def probe(self) -> None:
        self.client.get("/healthz", name="probe /healthz (app)")
        self.client.get(PLAN["static_path"], name="probe static file (nginx)")
