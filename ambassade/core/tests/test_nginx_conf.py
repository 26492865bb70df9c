"""deploy/nginx/ambassade.conf, rendered and run by a real nginx in front of two stand-in
upstreams: what reaches the app is what settings.py and tracking/visitors.py expect."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from ambassade.conftest import need_service
from ambassade.content.images import MAX_IMAGE_BYTES

DEPLOY = Path(__file__).resolve().parents[3] / "deploy" / "nginx"
sys.path.insert(0, str(DEPLOY))
import render  # noqa: E402 (deploy/nginx/render.py)

MAIN, SHORT = "ambassade.localhost", "go.ambassade.localhost"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _upstream(name: str) -> ThreadingHTTPServer:
    """Answers every request with its name, path and headers, as JSON."""

    class Echo(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            body = json.dumps(
                {"upstream": name, "path": self.path, "headers": dict(self.headers.items())}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def proxy() -> Iterator[dict[str, Any]]:
    need_service(shutil.which("nginx") is not None, "nginx is not installed")
    need_service(shutil.which("openssl") is not None, "openssl is not installed")
    # Started as root, nginx's workers run as nobody: the folder must be theirs to read
    # (pytest's own temporary folders are private to root) and its temp folders to write.
    folder = Path(tempfile.mkdtemp(prefix="ambassade-nginx-test-"))
    folder.chmod(0o755)
    for temp in ("body", "proxy"):
        (folder / temp).mkdir()
        (folder / temp).chmod(0o777)
    static = folder / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "app.0123456789ab.css").write_text("body{}")
    (static / "css" / "plain.css").write_text("p{}")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", f"/CN={MAIN}", "-keyout", str(folder / "key.pem"),
         "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    web, redirect = _upstream("web"), _upstream("redirect")
    port = _free_port()
    site = render.render(
        main_host=MAIN,
        short_host=SHORT,
        static_root=str(static),
        certificate=str(folder / "cert.pem"),
        certificate_key=str(folder / "key.pem"),
        web_upstream=f"127.0.0.1:{web.server_port}",
        redirect_upstream=f"127.0.0.1:{redirect.server_port}",
        https_listen=f"127.0.0.1:{port}",
        http_listen=f"127.0.0.1:{_free_port()}",
    )
    (folder / "site.conf").write_text(site)
    (folder / "nginx.conf").write_text(
        f"daemon off; worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/error.log;\n"
        "events {}\n"
        f"http {{ include /etc/nginx/mime.types; access_log off;"
        f" client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;"
        f" include {folder}/site.conf; }}\n"
    )
    process = subprocess.Popen(["nginx", "-c", str(folder / "nginx.conf")])
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        with httpx.Client(base_url=f"https://127.0.0.1:{port}", verify=False) as client:  # noqa: S501
            yield {"client": client, "port": port}
    finally:
        process.terminate()
        process.wait(timeout=10)
        web.shutdown()
        redirect.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


def _get(proxy: dict[str, Any], path: str, host: str, **kwargs: Any) -> httpx.Response:
    headers = {"Host": f"{host}:{proxy['port']}", **kwargs.pop("headers", {})}
    return proxy["client"].get(path, headers=headers, **kwargs)


def test_the_app_reads_the_address_nginx_appends_not_a_forged_one(proxy: dict[str, Any]) -> None:
    answer = _get(proxy, "/feed/", MAIN, headers={"X-Forwarded-For": "203.0.113.9"}).json()
    assert answer["upstream"] == "web"
    headers = answer["headers"]
    # tracking/visitors.py reads the last address: the one nginx saw.
    assert headers["X-Forwarded-For"].rsplit(",", 1)[-1].strip() == "127.0.0.1"
    assert headers["X-Forwarded-Proto"] == "https"
    # The port is kept: Django's CSRF check compares it with BASE_URL's origin.
    assert headers["Host"] == f"{MAIN}:{proxy['port']}"


def test_short_links_go_to_the_redirect_server(proxy: dict[str, Any]) -> None:
    assert _get(proxy, "/r/abc123", MAIN).json()["upstream"] == "redirect"
    assert _get(proxy, "/r/abc123", SHORT).json()["upstream"] == "redirect"
    assert _get(proxy, "/feed/", SHORT).json()["upstream"] == "redirect"


def test_static_files_come_from_nginx_hashed_names_for_a_year(proxy: dict[str, Any]) -> None:
    hashed = _get(proxy, "/static/css/app.0123456789ab.css", MAIN)
    assert hashed.status_code == 200 and hashed.text == "body{}"
    assert "immutable" in hashed.headers["Cache-Control"]
    plain = _get(proxy, "/static/css/plain.css", MAIN)
    assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]


def test_the_largest_upload_passes_and_a_larger_body_is_refused(proxy: dict[str, Any]) -> None:
    headers = {"Host": f"{MAIN}:{proxy['port']}"}
    fits = proxy["client"].post("/upload", content=b"x" * MAX_IMAGE_BYTES, headers=headers)
    assert fits.status_code == 200
    too_big = proxy["client"].post("/upload", content=b"x" * 11_000_000, headers=headers)
    assert too_big.status_code == 413


def test_an_unknown_host_gets_no_answer(proxy: dict[str, Any]) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        _get(proxy, "/", "elsewhere.example")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("main_host", "bad host", "is not a host name"),
        ("static_root", "relative/static", "absolute path"),
        ("web_upstream", "127.0.0.1", "host:port"),
    ],
)
def test_render_names_the_value_it_cannot_use(field: str, value: str, message: str) -> None:
    values = {
        "main_host": MAIN,
        "short_host": SHORT,
        "static_root": "/srv/static",
        "certificate": "/etc/ssl/a.pem",
        "certificate_key": "/etc/ssl/a.key",
        field: value,
    }
    with pytest.raises(ValueError, match=message):
        render.render(**values)
