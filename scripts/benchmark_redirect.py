#!/usr/bin/env python3
# ruff: noqa: S603
"""Benchmark of the tracked-link redirect against nginx answering `return 302` (not a test).

    .venv/bin/python scripts/benchmark_redirect.py [--seconds 30]

Installs nothing: it needs `wrk` and `nginx` (Debian packages `wrk` and `nginx-light` or
`nginx`). On a temporary SQLite data folder with two links it starts the short-link server
of the production layout (`ambassade redirect`: uvicorn with the short-link protocol,
REDIRECT_WORKERS=2), the web server (`ambassade web`: granian, ASGI, WEB_WORKERS=2, which
answers /r/ for `make run`), nginx, and an empty RSGI and an empty ASGI application under
the web server's granian settings (the ceiling that led the short links away from
granian, decision 0048), each on another loopback port, and drives each with wrk:

1. a saturating run (requests/s, p50, p99) on each, and the ratio ours/nginx (ours: the
   short-link server; the median of ``--rounds`` pairs, each pair in turn ours first or
   nginx first, against the machine's drift), with plain wrk (a browser's User-Agent, no
   script), as wrk is usually run: a script's callback for each answer costs wrk CPU on
   the same cores as the servers;
2. a saturating run on ours and on nginx with a Lua script that counts every request
   sent and stops sending before wrk stops, on the second link (its ratio is printed too);
3. a fixed-rate run at 1,000 requests/s (the same script paces each connection);
4. a withdrawal of the second link while requests keep coming (a new connection each, so
   that both worker processes answer): the link is withdrawn through the action in
   another process, and the last 302 seen after its commit tells how long a process kept
   redirecting;
5. then it stops the servers, runs the ingestion, and compares the human clicks stored on
   the second link with the requests sent to it (counted request by request).

Targets: ratio >= 0.35, p99 < 10 ms at 1,000 requests/s, clicks stored = requests sent,
no 302 later than 5 s after the withdrawal. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchmark_redirect_tools import (
    EMPTY_APP,
    LUA,
    NGINX,
    find,
    free_port,
    memory_of,
    wait_for,
    withdraw_while_clicking,
    wrk,
    wrk_plain,
)

MAKE_LINKS = (
    "from ambassade.core.models import Organisation;"
    "from ambassade.tracking.actions import create_link;"
    "o = Organisation.objects.create(name='Bench', slug='bench');"
    "print(*(create_link(organisation=o, url='https://example.com/jobs/42',"
    " network='linkedin', campaign='bench', content_item_id=42).code for _ in range(2)))"
)
COUNT_CLICKS = (
    "from ambassade.tracking.models import Click;"
    "print(*(Click.objects.filter(is_human=True, link__code=code).count() for code in {codes!r}),"
    " Click.objects.count())"
)


def granian(root: Path, interface: str, port: int, app: str) -> subprocess.Popen[bytes]:
    """An empty application under the web server's granian settings: that server's ceiling."""
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "granian", "--interface", interface, "--loop", "auto"),
            *("--workers", "2", "--host", "127.0.0.1", "--port", str(port)),
            *("--working-dir", str(root), "--no-access-log", "--log-level", "warning", app),
        ],
        start_new_session=True,
    )


def line(name: str, result: dict[str, Any]) -> str:
    extra = f"  ({result['errors']})" if result["errors"] else ""
    if result["redirected"] != result["sent"]:
        extra += f"  ({result['sent'] - result['redirected']} answers were not 302)"
    return (
        f"  {name:<36} {result['rate']:>10,.0f} req/s   p50 {result['p50']:7.2f} ms"
        f"   p99 {result['p99']:7.2f} ms{extra}"
    )


def manage(command: list[str], env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*command, "manage", *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=32, help="saturating run")
    parser.add_argument("--rounds", type=int, default=3, help="pairs of runs, ours and nginx")
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
    ours_port, nginx_port, web_port = free_port(), free_port(), free_port()
    empty_port, empty_asgi_port = free_port(), free_port()
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
        LOG_LEVEL="error",
    )
    command = [sys.executable, "-m", "ambassade.cli"]
    (root / "data" / "static").mkdir(parents=True)
    (root / "empty.py").write_text(EMPTY_APP)
    script = root / "count.lua"
    script.write_text(LUA)
    (root / "nginx.conf").write_text(NGINX.format(root=root, port=nginx_port))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        manage(command, env, "migrate", "--noinput")
        # Two links: one for the rates (plain wrk), one for the runs that count every
        # request sent, whose clicks must all be stored.
        code, counted_code = manage(command, env, "shell", "-c", MAKE_LINKS).split()
        # The web server first (it collects the static files the other one's Django
        # reads at its start), then the short-link server the production layout sends
        # /r/ to; nginx; the empty applications.
        pages = subprocess.Popen([*command, "web"], env=env, start_new_session=True)
        processes.append(pages)
        wait_for(f"http://127.0.0.1:{web_port}/healthz")
        web = subprocess.Popen([*command, "redirect"], env=env, start_new_session=True)
        processes.append(web)
        nginx_command = [find("nginx") or "nginx", "-p", str(root), "-c", str(root / "nginx.conf")]
        processes.append(
            subprocess.Popen([*nginx_command, "-g", "daemon off;"], start_new_session=True)
        )
        processes.append(granian(root, "rsgi", empty_port, "empty:rsgi_application"))
        processes.append(granian(root, "asgi", empty_asgi_port, "empty:application"))
        ours, counted = (f"http://127.0.0.1:{ours_port}/r/{c}" for c in (code, counted_code))
        web_url = f"http://127.0.0.1:{web_port}/r/{code}"
        theirs = f"http://127.0.0.1:{nginx_port}/r/{code}"
        for url in (f"http://127.0.0.1:{ours_port}/healthz", theirs):
            wait_for(url)
        wait_for(f"http://127.0.0.1:{empty_port}/")
        wait_for(f"http://127.0.0.1:{empty_asgi_port}/")
        # Warm both workers of each server (each has its own links cache).
        sent = wrk(counted, script, seconds=2, threads=2, connections=8)["sent"]
        for url in (ours, web_url):
            wrk_plain(url, seconds=2, threads=2, connections=8)

        saturating = {"seconds": args.seconds, "threads": 2, "connections": args.connections}
        print(f"Saturating runs: {args.seconds} s, 2 threads, {args.connections} connections")
        # Ours and nginx in pairs, each pair in the other order than the last, so that the
        # machine's drift during the run (other processes, the disk's writeback) weighs on
        # both alike; the ratio is the median of the pairs'.
        pairs = []
        for round_number in range(args.rounds):
            first, second = (ours, theirs) if round_number % 2 == 0 else (theirs, ours)
            one, other = wrk_plain(first, **saturating), wrk_plain(second, **saturating)
            pairs.append((one, other) if first == ours else (other, one))
        pairs.sort(key=lambda pair: pair[0]["rate"] / pair[1]["rate"])
        saturated, reference = pairs[len(pairs) // 2]
        ceiling = wrk_plain(f"http://127.0.0.1:{empty_port}/", **saturating)
        through_web = wrk_plain(web_url, **saturating)
        asgi_ceiling = wrk_plain(f"http://127.0.0.1:{empty_asgi_port}/", **saturating)
        counting = wrk(counted, script, **saturating)
        counting_nginx = wrk(theirs, script, **saturating)
        sent += counting["sent"]
        connections = 100
        pause = connections * 1000 // 1000  # ms between requests on each connection
        print(f"Fixed-rate run: 1,000 requests/s ({connections} connections, {pause} ms apart)")
        paced_options = {"seconds": args.seconds, "threads": 2, "connections": connections}
        paced = wrk(counted, script, **paced_options, pause=pause)
        sent += paced["sent"]
        paced_nginx = wrk(theirs, script, **paced_options, pause=pause)

        for number, (mine, nginx) in enumerate(pairs, start=1):
            print(line(f"ambassade redirect (saturating, {number})", mine))
            print(line(f"nginx return 302 (saturating, {number})", nginx))
        print(
            "  ratios of the pairs: "
            + ", ".join(f"{mine['rate'] / nginx['rate']:.2f}" for mine, nginx in pairs)
        )
        print(line("empty RSGI app, granian", ceiling))
        print(line("ambassade web, ASGI (saturating)", through_web))
        print(line("empty ASGI app, granian", asgi_ceiling))
        print(line("ambassade redirect, counting script", counting))
        print(line("nginx, counting script", counting_nginx))
        print(line("ambassade redirect (1,000 req/s)", paced))
        print(line("nginx return 302 (1,000 req/s)", paced_nginx))
        ratio = saturated["rate"] / reference["rate"]
        print(
            f"  granian's empty RSGI app/nginx: {ceiling['rate'] / reference['rate']:.2f}; "
            f"web (ASGI)/nginx: {through_web['rate'] / reference['rate']:.2f}; "
            f"with the counting script, ours/nginx: "
            f"{counting['rate'] / counting_nginx['rate']:.2f}"
        )
        print(
            f"  ratio ours/nginx (median pair): {ratio:.2f} (target >= 0.35); "
            f"p99 at 1,000 req/s: {paced['p99']:.2f} ms (target < 10 ms)"
        )
        for pid, rss, pss in memory_of(web.pid) + memory_of(pages.pid):
            role = "main process" if pid in (web.pid, pages.pid) else "worker"
            print(f"  memory of the {role} {pid}: RSS {rss} MiB, PSS {pss} MiB (target < 200)")
        withdrawal = withdraw_while_clicking(ours_port, counted_code, command, env)
        sent += withdrawal["sent"]
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
        ingested = manage(command, env, "ingest_clicks", "--all")
        took = time.monotonic() - started
        counts = manage(command, env, "shell", "-c", COUNT_CLICKS.format(codes=[counted_code]))
        stored, everything = (int(value) for value in counts.split())
        print(f"Ingestion: {ingested} in {took:.1f} s")
        print(
            f"  human clicks stored on the counted link {stored:,} / requests sent to it "
            f"{sent:,} ({'equal' if stored == sent else 'DIFFERENT'}); all clicks stored "
            f"{everything:,} (the plain runs' and the readiness probes' too)"
        )
        ok = (
            ratio >= 0.35
            and paced["p99"] < 10
            and stored == sent
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
