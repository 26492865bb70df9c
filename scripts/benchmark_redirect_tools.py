# ruff: noqa: S603, S310
"""What scripts/benchmark_redirect.py drives its servers with: wrk runs (plain for the
rates, with a counting script where every request sent must be known), the withdrawal
while clicking, the memory of a server's processes, and the reference servers' files."""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
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


def _milliseconds(value: str, suffix: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[suffix]


def _percentiles(output: str) -> dict[str, float]:
    return {
        match.group(1): _milliseconds(match.group(2), match.group(3))
        for match in re.finditer(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\b", output, re.M)
    }


def _errors(output: str) -> str:
    found = re.search(r"Socket errors:.*", output)
    return found.group(0) if found else ""


def _run_wrk(*, seconds: int, threads: int, connections: int, rest: list[str]) -> str:
    command = [
        *(find("wrk") or "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"),
        *("--latency", "--timeout", "5s", *rest),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _result(output: str, *, rate: float, sent: int, redirected: int) -> dict[str, Any]:
    percentiles = _percentiles(output)
    return {
        "rate": rate,
        "p50": percentiles.get("50", float("nan")),
        "p99": percentiles.get("99", float("nan")),
        "sent": sent,
        "redirected": redirected,
        "errors": _errors(output),
    }


def wrk_plain(url: str, *, seconds: int, threads: int, connections: int) -> dict[str, Any]:
    """A saturating wrk run without a script, as wrk is usually run: a script's callback
    for each answer costs wrk CPU on the same cores as the server. Requests still in
    flight when wrk stops are answered (and clicked) but not counted by it, so this run's
    clicks are not compared with a count."""
    output = _run_wrk(
        seconds=seconds,
        threads=threads,
        connections=connections,
        rest=["-H", f"User-Agent: {BROWSER}", url],
    )
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    if rate is None or total is None:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    other = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sent = int(total.group(1))
    redirected = sent - (int(other.group(1)) if other else 0)
    return _result(output, rate=float(rate.group(1)), sent=sent, redirected=redirected)


def wrk(
    url: str, script: Path, *, seconds: int, threads: int, connections: int, pause: int = 0
) -> dict[str, Any]:
    """One counted wrk run: connections stop sending at the deadline; wrk waits 1 s more
    for the answers in flight, so every request sent is answered and counted. The rate is
    answers / time until the deadline."""
    started = time.time()
    deadline = int(started) + seconds + 1
    output = _run_wrk(
        seconds=deadline - int(started) + 1,
        threads=threads,
        connections=connections,
        rest=["-s", str(script), url, "--", str(pause), str(deadline)],
    )
    counted = re.search(r"^ANSWERED (\d+) REDIRECTED (\d+)", output, re.M)
    if counted is None:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    answered, redirected = int(counted.group(1)), int(counted.group(2))
    return _result(
        output, rate=answered / (deadline - started), sent=answered, redirected=redirected
    )


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
            if b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue  # multiprocessing's helper beside uvicorn's workers
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
