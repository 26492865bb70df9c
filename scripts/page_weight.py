"""Weight of the ambassador's feed and composer on a phone, first visit and repeat visit.

Builds the demo organisation in a temporary folder, starts the web server as `make run`
does (granian, hashed static files), signs in as the demo ambassador in Debian's
Chromium (Playwright) with a phone profile (390 × 844, device scale factor 3), and for
each page prints: first contentful paint, bytes transferred over the network (headers
and bodies, as sent: compressed when compressed), requests the page made, and how many of
those went over the network (the others came from the browser's cache or the service
worker; a request counts as over the network when a body came with its answer).
The service worker's own fetches count too: on a first visit it downloads the shell
(CSS, JavaScript, icons, offline page). "First visit" is an empty cache and no service
worker; "repeat" is the same page opened again once the service worker is active.

    PYTHONPATH=. .venv/bin/python scripts/page_weight.py [--people 60] [--days 30] [--verbose]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3}
PASSWORD = "ambassade-demo"  # noqa: S105 (the demo's published password)
# The printed demo ambassador first; when the demo leaves him unable to share (an
# enrolment waiting for a new charter version), the coach, who is an ambassador too.
AMBASSADORS = ("ambassadeur@verdier.example", "coach@verdier.example")


@dataclass
class Figures:
    page: str
    visit: str
    fcp_ms: float
    transferred: int
    requests: int
    over_network: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(arguments: argparse.Namespace) -> tuple[subprocess.Popen[bytes], str, str]:
    directory = tempfile.mkdtemp(prefix="ambassade-weight-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {
        "DATA_DIR": directory,
        "DATABASE_URL": f"sqlite:///{directory}/weight.sqlite3",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "BASE_URL": base,
        "LOG_LEVEL": "warning",
    }
    env.pop("REDIS_URL", None)
    command = [sys.executable, "-m", "ambassade.cli"]
    subprocess.run([*command, "manage", "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*command, "demo-data", "--people", str(arguments.people), "--days", str(arguments.days)],
        env=env,
        check=True,
    )
    server = subprocess.Popen([*command, "web"], env=env)  # noqa: S603
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310
                return server, base, directory
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the web server did not answer /healthz")


def measure(context: Any, url: str, name: str, visit: str, verbose: bool) -> Figures:
    seen: list[Any] = []

    def record(request: Any) -> None:
        seen.append(request)

    context.on("requestfinished", record)
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)  # late requests (the worker's own fetches) are counted too
    fcp = page.evaluate(
        "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1"
    )
    if visit == "first":
        page.evaluate("navigator.serviceWorker && navigator.serviceWorker.ready")
        page.wait_for_timeout(500)
    context.remove_listener("requestfinished", record)
    transferred, page_requests, over_network = 0, 0, 0
    for request in seen:
        if request.url.startswith("data:"):
            continue
        response = request.response()
        by_worker = response is not None and response.from_service_worker
        if request.service_worker is None:
            page_requests += 1  # what the page asked for, however it was answered
        if by_worker:
            continue  # the worker's answer: counted once, on its own fetch if it made one
        sizes = request.sizes()
        body = sizes["responseBodySize"]
        if body <= 0:
            continue  # answered from the browser's cache (or a 304 with no body)
        over_network += 1
        transferred += body + sizes["responseHeadersSize"] + sizes["requestHeadersSize"]
        if verbose:
            worker = " (service worker)" if request.service_worker is not None else ""
            print(f"  {name} {visit}: {body:>7} B {request.url}{worker}")
    page.close()
    return Figures(name, visit, fcp, transferred, page_requests, over_network)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--verbose", action="store_true", help="list what went over the network")
    arguments = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server, base, _directory = start_server(arguments)
    results: list[Figures] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for email in AMBASSADORS:
                signing_in = browser.new_context(locale="fr-FR", **PHONE)
                page = signing_in.new_page()
                page.goto(f"{base}/accounts/login/")
                page.locator("input[name=login]").fill(email)
                page.locator("input[name=password]").fill(PASSWORD)
                page.locator("input[name=password]").press("Enter")
                page.wait_for_url(lambda url: "/accounts/login/" not in url)
                page.goto(f"{base}/feed/")
                shares = page.locator("a[href^='/share/']")
                href = shares.first.get_attribute("href") if shares.count() else None
                cookies = signing_in.storage_state()
                signing_in.close()
                if href:
                    break
            print(f"signed in as {email}")
            composer = base + (href or "/share/0/")
            for name, url in (("feed", f"{base}/feed/"), ("composer", composer)):
                # A fresh context per page: an empty cache and no service worker.
                context = browser.new_context(locale="fr-FR", storage_state=cookies, **PHONE)
                results.append(measure(context, url, name, "first", arguments.verbose))
                results.append(measure(context, url, name, "repeat", arguments.verbose))
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{'page':<10}{'visit':<8}{'FCP (ms)':>10}{'transferred':>14}{'requests':>10}{'network':>9}"
    )
    for row in results:
        print(
            f"{row.page:<10}{row.visit:<8}{row.fcp_ms:>10.0f}{row.transferred / 1024:>11.1f} KB"
            f"{row.requests:>10}{row.over_network:>9}"
        )


if __name__ == "__main__":
    main()
