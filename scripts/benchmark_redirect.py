#!/usr/bin/env python3
# ruff: noqa: S603, S310
"""Benchmark of the tracked-link redirect against nginx answering `return 302` (not a test).

    .venv/bin/python scripts/benchmark_redirect.py [--seconds 30]

Installs nothing: it needs `wrk` and `nginx` (Debian packages `wrk` and `nginx-light` or
`nginx`). On a temporary SQLite data folder with one link it starts the short-link server
of the production layout (`ambassade redirect`: granian's RSGI, REDIRECT_WORKERS=2), the
web server (`ambassade web`: ASGI, WEB_WORKERS=2, which answers /r/ for `make run`), nginx,
and an empty RSGI and an empty ASGI application under the same granian settings, each on
another loopback port, and drives each with wrk over loopback:

1. a saturating run (requests/s, p50, p99) on each, and the ratio ours/nginx (ours: the
   short-link server);
2. a fixed-rate run at 1,000 requests/s (a wrk Lua script paces each connection);
3. a withdrawal while requests keep coming (a new connection each, so that both worker
   processes answer): the link is withdrawn through the action in another process, and
   the last 302 seen after its commit tells how long a process kept redirecting;
4. then it stops the server, runs the ingestion, and compares the human clicks stored
   with the requests sent (counted by the same Lua script, request by request).

Targets: ratio >= 0.35, p99 < 10 ms at 1,000 requests/s, clicks stored = requests sent,
no 302 later than 5 s after the withdrawal. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)
# Counts the answers (each connection has one request in flight, and stops sending at
# the deadline, a little before wrk stops, so that every request sent is answered), and
# paces each connection when a delay is given (rate = connections * 1000 / delay).
LUA = """
local threads = {}
answered = 0
redirected = 0
pause = 0
stop_at = 0
local prepared = nil
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  pause = tonumber(args[1])
  stop_at = tonumber(args[2])
  prepared = wrk.format(nil, nil, {["User-Agent"] = "BROWSER"})
end
function delay()
  if os.time() >= stop_at then return 600000 end
  return pause
end
function request()
  return prepared
end
function response(status, headers, body)
  answered = answered + 1
  if status == 302 then redirected = redirected + 1 end
end
function done(summary, latency, requests)
  local total, moved = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("answered")
    moved = moved + thread:get("redirected")
  end
  io.write(string.format("ANSWERED %d REDIRECTED %d\\n", total, moved))
end
""".replace("BROWSER", BROWSER)

EMPTY_APP = """
HEADERS = [(b"location", b"https://example.com/"), (b"content-length", b"0")]
TEXT_HEADERS = [("location", "https://example.com/")]


class Empty:
    async def __rsgi__(self, scope, protocol):
        protocol.response_empty(302, TEXT_HEADERS)


rsgi_application = Empty()


async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    await send({"type": "http.response.start", "status": 302, "headers": HEADERS})
    await send({"type": "http.response.body", "body": b""})
"""

NGINX = """
worker_processes 2;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {root}/body;
  proxy_temp_path {root}/proxy;
  fastcgi_temp_path {root}/fastcgi;
  uwsgi_temp_path {root}/uwsgi;
  scgi_temp_path {root}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{ return 302 https://example.com/jobs/42?utm_source=linkedin; }}
  }}
}}
"""


def find(program: str) -> str | None:
    return shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/local/sbin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    opener = urllib.request.build_opener(NoRedirect)
    while True:
        try:
            opener.open(
                urllib.request.Request(url, headers={"User-Agent": "curl/8.0 (readiness probe)"}),
                timeout=2,
            )
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer (the 302 included) means it is up
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"nothing answers on {url}") from None
            time.sleep(0.2)


def wrk(
    url: str, script: Path, *, seconds: int, threads: int, connections: int, pause: int = 0
) -> dict[str, Any]:
    """One wrk run: connections stop sending at the deadline; wrk waits 1 s more for the
    answers in flight. The rate is answers / time until the deadline."""
    started = time.time()
    deadline = int(started) + seconds + 1
    command = [
        find("wrk") or "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{deadline - int(started) + 1}s",
        "--latency",
        "--timeout",
        "5s",
        "-s",
        str(script),
        url,
        "--",
        str(pause),
        str(deadline),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def unit(value: str, suffix: str) -> float:
        factor = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[suffix]
        return float(value) * factor

    percentiles = {
        match.group(1): unit(match.group(2), match.group(3))
        for match in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\b", output, re.M)
    }
    counted = re.search(r"^ANSWERED (\d+) REDIRECTED (\d+)", output, re.M)
    if counted is None:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    answered, redirected = int(counted.group(1)), int(counted.group(2))
    errors = re.search(r"Socket errors:.*", output)
    return {
        "rate": answered / (deadline - started),
        "p50": percentiles.get("50", float("nan")),
        "p99": percentiles.get("99", float("nan")),
        "sent": answered,
        "redirected": redirected,
        "errors": errors.group(0) if errors else "",
    }


def withdraw_while_clicking(
    port: int, code: str, command: list[str], env: dict[str, str]
) -> dict[str, Any]:
    """Clicks in a loop (one connection each: the server spreads them over its workers)
    while another process withdraws the link; when was the last 302 after the commit?"""
    answers: list[tuple[float, int]] = []
    stop = threading.Event()

    def click() -> None:
        while not stop.is_set():
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request("GET", f"/r/{code}", headers={"User-Agent": BROWSER})
                status = connection.getresponse().status
            finally:
                connection.close()
            answers.append((time.time(), status))
            time.sleep(0.002)

    clicking = threading.Thread(target=click)
    clicking.start()
    try:
        time.sleep(2)
        committed = float(
            subprocess.run(
                [
                    *command,
                    "manage",
                    "shell",
                    "-c",
                    "import time;"
                    "from ambassade.tracking.actions import withdraw_link;"
                    "from ambassade.tracking.models import TrackedLink;"
                    f"withdraw_link(TrackedLink.objects.get(code='{code}'));"
                    "print(time.time())",
                ],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.splitlines()[-1]
        )
        time.sleep(8)
    finally:
        stop.set()
        clicking.join()
    redirects_after = [moment for moment, status in answers if status == 302 and moment > committed]
    return {
        "sent": len(answers),
        "last_302_after": max(redirects_after, default=committed) - committed,
        "gone": sum(1 for moment, status in answers if status == 410 and moment > committed),
    }


def memory_of(parent: int) -> list[tuple[int, int, int]]:
    """(pid, RSS MiB, PSS MiB) of a server's processes: PSS shares the pages the forked
    workers still have in common with their parent among them, RSS counts them in each."""
    pids = [parent]
    for task in Path(f"/proc/{parent}/task").glob("*/children"):
        pids += [int(pid) for pid in task.read_text().split()]
    found = []
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        values = {
            line.split(":")[0]: int(line.split()[1]) // 1024
            for line in rollup.splitlines()
            if line.startswith(("Rss:", "Pss:"))
        }
        found.append((pid, values.get("Rss", 0), values.get("Pss", 0)))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=32, help="saturating run")
    args = parser.parse_args()
    missing = [name for name in ("wrk", "nginx") if not find(name)]
    if missing:
        print(
            f"missing: {', '.join(missing)}; install the Debian packages: "
            "apt-get install wrk nginx-light",
            file=sys.stderr,
        )
        return 2

    root = Path(tempfile.mkdtemp(prefix="ambassade-bench-"))
    ours_port, nginx_port = free_port(), free_port()
    empty_port, empty_asgi_port, web_port = free_port(), free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("REDIS_", "TASK_BACKEND", "CLICK_", "DATABASE_", "DATA_DIR"))
    }
    env.update(
        DATA_DIR=str(root / "data"),
        REDIRECT_PORT=str(ours_port),
        REDIRECT_WORKERS="2",
        PORT=str(web_port),
        HOST="127.0.0.1",
        WEB_WORKERS="2",
        CLICK_FLOOD_LIMIT="0",  # wrk is one visitor sending everything: not a flood here
        LOG_LEVEL="error",  # each 410 of the withdrawal would be a warning line
    )
    command = [sys.executable, "-m", "ambassade.cli"]
    (root / "data" / "static").mkdir(parents=True)
    # The ceiling: an empty ASGI application answering 302 under the same granian settings.
    (root / "empty.py").write_text(EMPTY_APP)
    script = root / "count.lua"
    script.write_text(LUA)
    (root / "nginx.conf").write_text(NGINX.format(root=root, port=nginx_port))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        subprocess.run(
            [*command, "manage", "migrate", "--noinput"], env=env, check=True, capture_output=True
        )
        code = subprocess.run(
            [
                *command,
                "manage",
                "shell",
                "-c",
                "from ambassade.core.models import Organisation;"
                "from ambassade.tracking.actions import create_link;"
                "o = Organisation.objects.create(name='Bench', slug='bench');"
                "print(create_link(organisation=o, url='https://example.com/jobs/42',"
                " network='linkedin', campaign='bench', content_item_id=42).code)",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]
        # The short-link server the production layout sends /r/ to, and the web server
        # (the same quick answer in ASGI, for `make run` and a layout without it).
        web = subprocess.Popen([*command, "redirect"], env=env, start_new_session=True)
        processes.append(web)
        pages = subprocess.Popen([*command, "web"], env=env, start_new_session=True)
        processes.append(pages)
        nginx = subprocess.Popen(
            [
                find("nginx") or "nginx",
                "-p",
                str(root),
                "-c",
                str(root / "nginx.conf"),
                "-g",
                "daemon off;",
            ],
            start_new_session=True,
        )
        processes.append(nginx)
        for interface, port, app in (
            ("rsgi", empty_port, "empty:rsgi_application"),
            ("asgi", empty_asgi_port, "empty:application"),
        ):
            empty = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "granian",
                    "--interface",
                    interface,
                    "--loop",
                    "auto",
                    "--workers",
                    "2",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--working-dir",
                    str(root),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                    app,
                ],
                start_new_session=True,
            )
            processes.append(empty)
        ours = f"http://127.0.0.1:{ours_port}/r/{code}"
        theirs = f"http://127.0.0.1:{nginx_port}/r/{code}"
        wait_for(ours)
        wait_for(theirs)
        wait_for(f"http://127.0.0.1:{web_port}/r/{code}")
        wait_for(f"http://127.0.0.1:{empty_port}/")
        wait_for(f"http://127.0.0.1:{empty_asgi_port}/")
        sent = 2  # the readiness probes were clicks too (a bot's: user agent "probe")
        # Warm both workers of each server (each has its own links cache).
        sent_human = wrk(ours, script, seconds=2, threads=2, connections=8)["sent"]
        web_url = f"http://127.0.0.1:{web_port}/r/{code}"
        sent_human += wrk(web_url, script, seconds=2, threads=2, connections=8)["sent"]

        print(f"Saturating runs: {args.seconds} s, 2 threads, {args.connections} connections")
        saturated = wrk(ours, script, seconds=args.seconds, threads=2, connections=args.connections)
        sent_human += saturated["sent"]
        through_web = wrk(
            web_url, script, seconds=args.seconds, threads=2, connections=args.connections
        )
        sent_human += through_web["sent"]
        asgi_ceiling = wrk(
            f"http://127.0.0.1:{empty_asgi_port}/",
            script,
            seconds=args.seconds,
            threads=2,
            connections=args.connections,
        )
        ceiling = wrk(
            f"http://127.0.0.1:{empty_port}/",
            script,
            seconds=args.seconds,
            threads=2,
            connections=args.connections,
        )
        reference = wrk(
            theirs, script, seconds=args.seconds, threads=2, connections=args.connections
        )
        connections = 100
        pause = connections * 1000 // 1000  # ms between requests on each connection
        print(f"Fixed-rate run: 1,000 requests/s ({connections} connections, {pause} ms apart)")
        paced = wrk(
            ours, script, seconds=args.seconds, threads=2, connections=connections, pause=pause
        )
        sent_human += paced["sent"]
        paced_nginx = wrk(
            theirs, script, seconds=args.seconds, threads=2, connections=connections, pause=pause
        )

        def line(name: str, result: dict) -> str:
            extra = f"  ({result['errors']})" if result["errors"] else ""
            if result["redirected"] != result["sent"]:
                extra += f"  ({result['sent'] - result['redirected']} answers were not 302)"
            return (
                f"  {name:<34} {result['rate']:>10,.0f} req/s   p50 {result['p50']:7.2f} ms"
                f"   p99 {result['p99']:7.2f} ms{extra}"
            )

        print(line("ambassade redirect (saturating)", saturated))
        print(line("nginx return 302 (saturating)", reference))
        print(line("empty RSGI app, same granian", ceiling))
        print(line("ambassade web, ASGI (saturating)", through_web))
        print(line("empty ASGI app, same granian", asgi_ceiling))
        print(line("ambassade redirect (1,000 req/s)", paced))
        print(line("nginx return 302 (1,000 req/s)", paced_nginx))
        ratio = saturated["rate"] / reference["rate"]
        print(
            f"  granian's own ceiling/nginx: {ceiling['rate'] / reference['rate']:.2f}; "
            f"ours/that ceiling: {saturated['rate'] / ceiling['rate']:.2f}"
        )
        print(
            f"  ratio ours/nginx: {ratio:.2f} (target >= 0.35); "
            f"p99 at 1,000 req/s: {paced['p99']:.2f} ms (target < 10 ms)"
        )
        for pid, rss, pss in memory_of(web.pid) + memory_of(pages.pid):
            role = "main process" if pid in (web.pid, pages.pid) else "worker"
            print(f"  memory of the {role} {pid}: RSS {rss} MiB, PSS {pss} MiB (target < 200)")
        withdrawal = withdraw_while_clicking(ours_port, code, command, env)
        sent_human += withdrawal["sent"]
        print(
            f"Withdrawal: {withdrawal['sent']:,} requests around it; last 302 "
            f"{withdrawal['last_302_after']:.2f} s after the commit (target < 5 s); "
            f"then {withdrawal['gone']:,} answers 410"
        )

        for server in (web, pages):
            server.send_signal(signal.SIGTERM)
        for server in (web, pages):
            server.wait(timeout=60)
        started = time.monotonic()
        ingested = subprocess.run(
            [*command, "manage", "ingest_clicks", "--all"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        took = time.monotonic() - started
        stored = (
            subprocess.run(
                [
                    *command,
                    "manage",
                    "shell",
                    "-c",
                    "from ambassade.tracking.models import Click;"
                    "print(Click.objects.filter(is_human=True).count(), Click.objects.count())",
                ],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.splitlines()[-1]
            .split()
        )
        print(f"Ingestion: {ingested} in {took:.1f} s")
        print(
            f"  human clicks stored {int(stored[0]):,} / requests sent by wrk {sent_human:,}"
            f" ({'equal' if int(stored[0]) == sent_human else 'DIFFERENT'}); "
            f"all clicks stored {int(stored[1]):,} (+{sent} readiness probe)"
        )
        ok = (
            ratio >= 0.35
            and paced["p99"] < 10
            and int(stored[0]) == sent_human
            and withdrawal["last_302_after"] < 5
        )
        return 0 if ok else 1
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
