"""The redirect of a warm code without Django's request machinery (wsgi.py wraps it).

Most clicks are the same case: GET, a code this process resolved seconds ago, a browser
that is not a preview crawler, no self-click to tell (no session cookie, or a sharer
without an account), today's salt in memory. That case is answered here, in a few dozen
microseconds of Python, with the same event handed to the same buffer as the view's.
Anything else (a cold or unknown code, a withdrawn item, a crawler, a possible
self-click, HEAD, plain HTTP that must go to HTTPS) goes on to Django and the view in
views.py, which does the full job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

from ambassade.tracking import codes, hot, lookup, visitors

logger = logging.getLogger(__name__)

WSGIApplication = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _secure(environ: dict[str, Any]) -> bool:
    if environ.get("wsgi.url_scheme") == "https":
        return True
    header: tuple[str, str] | None = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not header:
        return False
    return str(environ.get(header[0], "")).split(",")[0].strip() == header[1]


def answer(environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]]] | None:
    """(status, headers) for the common case, or None to let Django handle the request."""
    # A query string (fbclid=...) changes nothing: the destination is the link's.
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    code = environ.get("PATH_INFO", "")[3:]
    if not codes.is_well_formed(code):
        return None
    secure = _secure(environ)
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None
    entry = lookup.cached(code)
    if entry is None or entry["w"] is not None:
        return None
    if entry["u"] is not None and settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", ""):
        return None  # perhaps the sharer: the view checks the session
    if visitors.known_salt(visitors.utc_today()) is None:
        return None  # the view reads it once, inside Django's connection handling
    agent = visitors.user_agent(environ)
    if visitors.is_preview_agent(agent):
        return None
    _preview, flood = hot.record_click(
        entry, code, environ, head=False, self_click=False, agent=agent
    )
    headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", "0"),
        ("Cache-Control", hot.NO_STORE),
        ("X-Robots-Tag", "noindex"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", str(settings.SECURE_REFERRER_POLICY)))
    if secure and settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append(("Strict-Transport-Security", hsts))
    if flood >= hot.TOO_MANY:
        return "429 Too Many Requests", [*headers, ("Retry-After", "60")]
    # 302, never 301: a permanent redirect would be cached and its clicks never seen.
    return "302 Found", [*headers, ("Location", entry["go"])]


def wrap(application: WSGIApplication) -> WSGIApplication:
    def tracked_links_first(
        environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if environ.get("PATH_INFO", "").startswith("/r/"):
            try:
                found = answer(environ)
            except Exception:
                logger.exception("tracked link fast path failed; Django takes over")
                found = None
            if found is not None:
                start_response(*found)
                return [b""]
        return application(environ, start_response)

    return tracked_links_first
