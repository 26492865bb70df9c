"""`ambassade redirect` for real: uvicorn with the short-link protocol on a loopback port,
on a data folder of its own (SQLite), answering the short links and handing the rest to
Django."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ambassade.tracking.tests.conftest import BROWSER

_MAKE_LINK = (
    "from ambassade.core.models import Organisation;"
    "from ambassade.tracking.actions import create_link;"
    "o = Organisation.objects.create(name='Acme', slug='acme');"
    "print(create_link(organisation=o, url='https://careers.example.com/jobs/42',"
    " network='linkedin', campaign='spring', content_item_id=42,"
    " preview={'title': 'Join us as a welder'}).code)"
)
_COUNT_CLICKS = (
    "from ambassade.tracking.models import Click;"
    "print(Click.objects.filter(is_human=True).count(), Click.objects.count())"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(data: Path, port: int) -> dict[str, str]:
    skip = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_", "REDIS_", "CLICK_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(skip)}
    env.update(DATA_DIR=str(data), REDIRECT_PORT=str(port), REDIRECT_WORKERS="1", HOST="127.0.0.1")
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ambassade.cli", "manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


@pytest.fixture
def short_link_server(tmp_path: Path) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(base address, the code of a link, the environment) of a running server."""
    port = _free_port()
    env = _environment(tmp_path / "data", port)
    (tmp_path / "data" / "static").mkdir(parents=True)
    _manage(env, "migrate", "--noinput")
    code = _manage(env, "shell", "-c", _MAKE_LINK)
    server = subprocess.Popen(
        [sys.executable, "-m", "ambassade.cli", "redirect"], env=env, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, "the server stopped"
                assert time.monotonic() < deadline, "the server did not start in 60 s"
                time.sleep(0.2)
        yield base, code, env
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def test_the_short_link_server_redirects_and_hands_the_rest_to_django(short_link_server) -> None:
    base, code, env = short_link_server
    with httpx.Client(base_url=base, headers={"User-Agent": BROWSER}) as browser:
        clicks = [browser.get(f"/r/{code}?fbclid=x") for _ in range(5)]
        card = browser.get(f"/r/{code}", headers={"User-Agent": "LinkedInBot/1.0"})
        unknown = browser.get("/r/Unknown99")
        health = browser.get("/healthz")
    for click in clicks:
        assert click.status_code == 302, click.text
        assert click.headers["location"].startswith("https://careers.example.com/jobs/42?")
        assert click.headers["cache-control"] == "private, no-store, max-age=0"
        assert click.headers.get_list("content-length") == ["0"]
    assert card.status_code == 200 and "Join us as a welder" in card.text
    assert unknown.status_code == 404
    assert health.status_code == 200
    # Ingested (the current minute's file too): every browser's click is stored, and the
    # crawler's visit as a preview, not a click.
    _manage(env, "ingest_clicks", "--all")
    humans, everything = _manage(env, "shell", "-c", _COUNT_CLICKS).split()
    assert (int(humans), int(everything)) == (5, 6)
