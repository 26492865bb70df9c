"""`ambassade web` (granian serving ambassade/asgi.py) and `ambassade redirect` (uvicorn
serving it with the short-link server's protocol)."""

from __future__ import annotations

from typing import Any

import granian.server
import pytest
import uvicorn
from granian.constants import Interfaces

from ambassade import cli


@pytest.fixture
def served(monkeypatch) -> list[dict[str, Any]]:
    started: list[dict[str, Any]] = []
    prepared: list[bool] = []

    class Server:
        def __init__(self, target: str, **options: Any) -> None:
            started.append({"target": target, **options})

        def serve(self) -> None:
            started[-1]["served"] = True

    def run(target: str, **options: Any) -> None:
        started.append({"target": target, **options, "served": True})

    monkeypatch.setattr(granian.server, "Server", Server)
    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setattr(cli, "_prepare_web", lambda: prepared.append(True))
    started.append({"prepared": prepared})
    return started


def test_web_serves_the_asgi_application_on_port(served, settings) -> None:
    settings.PORT, settings.WEB_WORKERS = 9123, 3
    assert cli.main(["web"]) == 0
    prepared, options = served
    assert prepared == {"prepared": [True]}  # static files collected first
    assert options["target"] == "ambassade.asgi:application"
    assert options["interface"] == Interfaces.ASGI
    assert (options["port"], options["workers"]) == (9123, 3)
    assert options["log_access"] is False and options["served"] is True


def test_redirect_serves_the_short_link_application_on_its_own_port(served, settings) -> None:
    settings.REDIRECT_PORT, settings.REDIRECT_WORKERS = 9124, 2
    assert cli.main(["redirect"]) == 0
    _prepared, options = served
    assert options["target"] == "ambassade.asgi:application"
    assert options["http"] == "ambassade.short_link_server:ShortLinkProtocol"
    assert (options["port"], options["workers"]) == (9124, 2)
    assert options["access_log"] is False and options["proxy_headers"] is False
    assert options["served"] is True
