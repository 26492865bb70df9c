#!/usr/bin/env python3
# ruff: noqa: S603, S607
"""Load test through nginx: simulated ambassadors on PostgreSQL and Redis (not a test).

Full run (the README's figures; about 20 minutes with the set-up):

    .venv/bin/python scripts/load_test.py --users 1000 --minutes 10 --lock /tmp/bench.lock

CI's run: ``--users 100 --minutes 1``. Everything is on 127.0.0.1. What it does:

1. creates an empty PostgreSQL database ``ambassade_load_<pid>`` (``--postgres`` must be
   allowed to create databases) and flushes a Redis database of its own (``--redis``,
   number 5 by default); migrates, starts the local Bluesky PDS (tools/bluesky-pds) and
   builds an organisation (scripts/load_world.py): ``--users`` ambassadors, each with a
   Bluesky account on the PDS connected through the product, an item to share and two
   short links of earlier posts;
2. collects the static files, starts ``ambassade web``, ``ambassade redirect`` (when this
   version has it; else the short links go to ``ambassade web``), two ``ambassade
   worker`` and ``ambassade scheduler`` (TASK_BACKEND=redis, CLICK_BUFFER=redis), and
   nginx with deploy/nginx/ambassade.conf rendered for loopback and a self-signed
   certificate;
3. runs locust headless (scripts/locustfile.py) for ``--minutes``, the ambassadors
   arriving over the first 80 %, while sampling the memory of every web process;
4. waits for the task queue to be empty and every post due to be final, and prints the
   figures beside the baseline (/healthz and a static file through the same nginx,
   during the same run). Exits 1 when a target is missed, 2 when something it needs is
   missing (nginx, openssl, the PDS), so that CI fails rather than skips.

Ctrl-C or an error still stops every process started and drops the database.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts"), str(ROOT / "deploy" / "nginx")]

import render  # noqa: E402 (deploy/nginx/render.py)
from load_processes import Processes, Sampler, free_port, wait_for  # noqa: E402

MAIN_HOST = "ambassade.localhost"
SHORT_HOST = "go.ambassade.localhost"
TARGETS = {"page_p95_ms": 300, "queue_empty_s": 60, "web_rss_mb": 200}


def log(text: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


def address_of(number: int) -> str:
    """Ambassador ``number``'s own loopback address (the app limits sign-ins per address)."""
    return f"127.1.{number // 250}.{number % 250 + 1}"


def warm_up(plan: dict[str, Any]) -> None:
    """Each page a few times before the measured run, not counted: a web process renders
    a template and imports a view's modules the first time it serves them, which a
    server that has been up for a while has long done."""
    import httpx

    people = plan["ambassadors"]
    ambassador = next((one for one in people if one["session"]), people[0])
    paths = ["/accounts/login/", f"/r/{ambassador['links'][0]}", plan["static_path"]]
    if ambassador["session"]:
        paths += ["/feed/", f"/share/{ambassador['item']}/", "/me/figures/", "/me/posts/"]
    with httpx.Client(base_url=plan["origin"], verify=False, timeout=60) as client:  # noqa: S501
        for _ in range(6):  # enough for each web process to get each page
            for path in paths:
                client.get(
                    path,
                    headers={"Host": plan["main_host"]},
                    cookies={"sessionid": ambassador["session"] or ""} if path[:3] != "/r/" else {},
                )


def has_redirect_command() -> bool:
    """Whether this version's ``ambassade`` has the lean redirect server."""
    answer = subprocess.run(
        [sys.executable, "-m", "ambassade.cli", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return re.search(r"^\s*ambassade redirect\b|[{,]redirect[,}]", answer.stdout, re.M) is not None


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed ECDSA certificate for both host names, valid two days."""
    cert, key = folder / "loopback.crt", folder / "loopback.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", f"/CN={MAIN_HOST}",
            "-addext", f"subjectAltName=DNS:{MAIN_HOST},DNS:{SHORT_HOST}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def nginx_conf(folder: Path, data: Path, https_port: int, web: int, redirect: int) -> Path:
    """The reference conf rendered for loopback, inside a minimal main configuration."""
    cert, key = certificate(folder)
    site = render.render(
        main_host=MAIN_HOST,
        short_host=SHORT_HOST,
        static_root=str(data / "static"),
        certificate=str(cert),
        certificate_key=str(key),
        web_upstream=f"127.0.0.1:{web}",
        redirect_upstream=f"127.0.0.1:{redirect}",
        https_listen=f"127.0.0.1:{https_port}",
        http_listen=f"127.0.0.1:{free_port()}",
    )
    (folder / "ambassade.conf").write_text(site)
    temp = folder / "temp"
    temp.mkdir()
    temp.chmod(0o777)  # nginx's workers (nobody) write request bodies there
    main = folder / "nginx.conf"
    main.write_text(
        f"""# The distribution's nginx.conf, reduced to what a run on loopback needs.
daemon off;
worker_processes 1;  # the two cores are the app's; one nginx worker is far from busy
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/ambassade.conf;
}}
"""
    )
    checked = subprocess.run(
        ["nginx", "-t", "-c", str(main)], capture_output=True, text=True, check=False
    )
    if checked.returncode != 0:
        raise RuntimeError(f"nginx refused the configuration: {checked.stderr.strip()}")
    return main


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=1000, help="simulated ambassadors")
    parser.add_argument("--minutes", type=float, default=10, help="of load")
    parser.add_argument(
        "--sign-in-fraction",
        type=float,
        default=0.1,
        help="share of ambassadors who sign in with their password during the run; the "
        "others arrive with the session their browser kept (sessions last two weeks)",
    )
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--keep", action="store_true", help="keep the data folder and logs")
    parser.add_argument(
        "--report-timings",
        action="store_true",
        help="fail only on errors and unpublished posts; print page times, the queue's "
        "drain and memory without failing on them (CI: timings of a shared machine are "
        "figures, not tests)",
    )
    parser.add_argument(
        "--lock",
        type=Path,
        help="a file to hold locked (flock) while measuring, not while building: one "
        "benchmark measures at a time on a shared machine",
    )
    args = parser.parse_args()
    if args.users < 1 or args.minutes <= 0 or not 0 <= args.sign_in_fraction <= 1:
        parser.error("--users must be positive, --minutes above 0, --sign-in-fraction 0 to 1")
    return args


def _interrupted(*_: Any) -> None:
    raise KeyboardInterrupt


def main() -> int:
    args = parse()
    missing = [tool for tool in ("nginx", "openssl") if shutil.which(tool) is None]
    if missing:
        print(f"load_test.py: {', '.join(missing)} not installed (apt-get install "
              "nginx-light openssl)", file=sys.stderr)  # fmt: skip
        return 2
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    data = Path(tempfile.mkdtemp(prefix="ambassade-load-"))
    data.chmod(0o755)  # nginx's workers (nobody) read the static files in it
    (data / "logs").mkdir()
    database = f"ambassade_load_{os.getpid()}"
    processes: Processes | None = None
    pds = None
    created = False
    try:
        import psycopg
        import redis

        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        created = True
        redis.Redis.from_url(args.redis).flushdb()
        https_port, web_port, redirect_port = free_port(), free_port(), free_port()
        pds_port = free_port()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "ambassade.settings",
            "DATABASE_URL": args.postgres.rsplit("/", 1)[0] + f"/{database}",
            "REDIS_URL": args.redis,
            "TASK_BACKEND": "redis",
            "CLICK_BUFFER": "redis",
            "DATA_DIR": str(data),
            "BASE_URL": f"https://{MAIN_HOST}:{https_port}",
            "ALLOWED_HOSTS": f"{MAIN_HOST},{SHORT_HOST},127.0.0.1",
            "HOST": "127.0.0.1",
            "PORT": str(web_port),
            "REDIRECT_PORT": str(redirect_port),
            "WEB_WORKERS": str(args.web_workers),
            "TRUST_X_FORWARDED_FOR": "true",
            "TRUST_X_FORWARDED_PROTO": "true",
            "OUTBOUND_ALLOWED_HOSTS": f"127.0.0.1:{pds_port}",
            "LOG_LEVEL": "WARNING",
            "DEBUG": "false",
        }
        env.pop("AMBASSADE_TESTING", None)
        os.environ.update(env)
        processes = Processes(env, data / "logs")
        import load_world

        pds = load_world.start_pds(pds_port, data / "logs" / "pds.log")
        return run(args, processes, data, pds.url, https_port, web_port, redirect_port)
    except KeyboardInterrupt:
        log("interrupted: cleaning up")
        return 130
    finally:
        if processes is not None:
            processes.stop_all()
        if pds is not None:
            pds.stop()
        cleanup(args, database if created else "", data)


def cleanup(args: argparse.Namespace, database: str, data: Path) -> None:
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()
    if database:
        import psycopg

        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    with contextlib.suppress(Exception):
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    if args.keep:
        log(f"data and logs kept in {data}")
    else:
        shutil.rmtree(data, ignore_errors=True)


def run(
    args: argparse.Namespace,
    processes: Processes,
    data: Path,
    pds_url: str,
    https_port: int,
    web_port: int,
    redirect_port: int,
) -> int:
    import django

    django.setup()
    import load_report
    import load_world
    from django.core.management import call_command

    log("migrating the empty database")
    call_command("migrate", interactive=False, verbosity=0)
    log(f"building {args.users} ambassadors with their accounts on the local PDS")
    began = time.monotonic()
    world = load_world.build(
        ambassadors=args.users,
        pds_url=pds_url,
        short_base=f"https://{SHORT_HOST}:{https_port}/r",
        sign_in_fraction=args.sign_in_fraction,
        address_of=address_of,
    )
    log(f"built in {time.monotonic() - began:.0f} s; collecting the static files")
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((data / "static" / "staticfiles.json").read_text())["paths"]
    static_path = "/static/" + next(v for k, v in sorted(manifest.items()) if k.endswith(".css"))
    lean = has_redirect_command()
    processes.ambassade("web", "web")
    if lean:
        processes.ambassade("redirect", "redirect")
    for number in (1, 2):
        processes.ambassade(f"worker{number}", "worker")
    processes.ambassade("scheduler", "scheduler")
    wait_for(f"http://127.0.0.1:{web_port}/healthz", "127.0.0.1", 90, "ambassade web")
    conf = nginx_conf(data, data, https_port, web_port, redirect_port if lean else web_port)
    processes.start("nginx", ["nginx", "-c", str(conf)])
    origin = f"https://127.0.0.1:{https_port}"
    wait_for(f"{origin}/healthz", f"{MAIN_HOST}:{https_port}", 30, "nginx")
    log(f"short links served by {'ambassade redirect' if lean else 'ambassade web'}")
    plan = {
        "origin": origin,
        "main_host": f"{MAIN_HOST}:{https_port}",
        "short_host": f"{SHORT_HOST}:{https_port}",
        "static_path": static_path,
        "ambassadors": world["ambassadors"],
    }
    (data / "plan.json").write_text(json.dumps(plan))
    if args.lock:
        log(f"waiting for {args.lock}")
        hold = args.lock.open("a")  # kept open, so locked, until this process exits
        fcntl.flock(hold, fcntl.LOCK_EX)
        log(f"{args.lock} held; load average {os.getloadavg()[0]:.2f}")
    warm_up(plan)
    seconds = round(args.minutes * 60)
    # Arrivals over the first 80 %: the last ones still get through their share.
    spawn_rate = max(1.0, args.users / max(5.0, seconds * 0.8))
    log(f"locust: {args.users} ambassadors over {args.users / spawn_rate:.0f} s, {seconds} s")
    locust_env = {
        **processes.env,
        "LOAD_TEST_PLAN": str(data / "plan.json"),
        "LOAD_TEST_RESULT": str(data / "result.json"),
        # A person's waits over ten minutes or more. A shorter run halves them at most, so
        # that its ambassadors still get through the share in the time, at a pace that
        # stays a person's (a tenth of the waits would be ten times the load per person).
        "LOAD_TEST_THINK": str(max(0.5, min(1.0, args.minutes / 10))),
    }
    processes.start(
        "locust",
        [
            sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "locustfile.py"),
            "--headless", "--only-summary", "--users", str(args.users + 1),
            "--spawn-rate", f"{spawn_rate:.2f}", "--run-time", f"{seconds}s",
            "--loglevel", "WARNING",
        ],
        env=locust_env,
    )  # fmt: skip
    sampler = Sampler({name: child.pid for name, child in processes.running.items()})
    sampler.start()
    load_began = time.monotonic()
    locust = processes.running["locust"]
    while locust.poll() is None:
        stopped = [name for name in processes.died() if name != "locust"]
        if stopped:
            raise RuntimeError(f"{', '.join(stopped)} stopped during the run (see its log)")
        if time.monotonic() - load_began > seconds + 120:
            raise RuntimeError("locust did not stop within two minutes of the end")
        time.sleep(1)
    ended = datetime.now(UTC)
    log("load over; waiting for the task queue to be empty")
    drained = load_report.drain(args.redis, world["organisation_id"], ended, limit=300)
    sampler.stopping.set()
    sampler.join()
    result = json.loads((data / "result.json").read_text())
    figures = load_report.figures(
        result, sampler.peaks, drained, world["organisation_id"], seconds, args
    )
    figures["cpu"] = sampler.cpu_seconds()
    table, ok = load_report.table(figures, TARGETS, enforce_timings=not args.report_timings)
    print(table)
    print(f"load average at the end: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    print((data / "logs" / "locust.log").read_text()[-3000:])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
