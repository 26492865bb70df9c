#!/usr/bin/env python3
"""Fills the @{...} placeholders of deploy/nginx/ambassade.conf and prints the result.

    python3 deploy/nginx/render.py --main-host ambassade.example.org \\
        --short-host go.example.org --static-root /var/lib/ambassade/static \\
        --certificate /etc/letsencrypt/live/ambassade.example.org/fullchain.pem \\
        --certificate-key /etc/letsencrypt/live/ambassade.example.org/privkey.pem \\
        > /etc/nginx/sites-available/ambassade.conf

The placeholders use "@" rather than "$" because nginx's own variables start with "$".
scripts/load_test.py renders the same file for loopback, so the load test measures
the configuration operators install. Standard library only.
"""

from __future__ import annotations

import argparse
import re
import string
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "ambassade.conf"
HOST_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
ADDRESS = re.compile(r"^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):\d{1,5}$|^\d{1,5}$")


class NginxTemplate(string.Template):
    delimiter = "@"


def render(
    *,
    main_host: str,
    short_host: str,
    static_root: str,
    certificate: str,
    certificate_key: str,
    web_upstream: str = "127.0.0.1:8000",
    redirect_upstream: str = "127.0.0.1:8001",
    https_listen: str = "443",
    http_listen: str = "80",
) -> str:
    """The configuration text; ValueError names the first value that cannot be used."""
    for name, value in (("main host", main_host), ("short host", short_host)):
        if not HOST_NAME.match(value):
            raise ValueError(f"the {name} {value!r} is not a host name")
    if main_host == short_host:
        raise ValueError("the short host must differ from the main host")
    for name, value in (
        ("web upstream", web_upstream),
        ("redirect upstream", redirect_upstream),
        ("HTTPS listen", https_listen),
        ("HTTP listen", http_listen),
    ):
        if not ADDRESS.match(value):
            raise ValueError(f"the {name} {value!r} is not host:port or a port")
    for name, value in (
        ("static root", static_root),
        ("certificate", certificate),
        ("certificate key", certificate_key),
    ):
        if not value.startswith("/") or any(c in value for c in " ;{}'\"\n"):
            raise ValueError(f"the {name} {value!r} must be an absolute path without spaces")
    port = https_listen.rsplit(":", 1)[-1]
    return NginxTemplate(TEMPLATE.read_text()).substitute(
        main_host=main_host,
        short_host=short_host,
        static_root=static_root.rstrip("/"),
        certificate=certificate,
        certificate_key=certificate_key,
        web_upstream=web_upstream,
        redirect_upstream=redirect_upstream,
        https_listen=https_listen,
        http_listen=http_listen,
        # Redirects to HTTPS name the port only when it is not the default one.
        https_port_suffix="" if port == "443" else f":{port}",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--main-host", required=True, help="the host of BASE_URL")
    parser.add_argument("--short-host", required=True, help="the short links' domain")
    parser.add_argument("--static-root", required=True, help="DATA_DIR/static")
    parser.add_argument("--certificate", required=True, help="full chain, PEM")
    parser.add_argument("--certificate-key", required=True, help="private key, PEM")
    parser.add_argument("--web-upstream", default="127.0.0.1:8000", help="HOST:PORT of web")
    parser.add_argument(
        "--redirect-upstream", default="127.0.0.1:8001", help="HOST:PORT of redirect"
    )
    parser.add_argument("--https-listen", default="443")
    parser.add_argument("--http-listen", default="80")
    args = parser.parse_args()
    try:
        sys.stdout.write(render(**{k: v for k, v in vars(args).items()}))
    except ValueError as error:
        print(f"render.py: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
