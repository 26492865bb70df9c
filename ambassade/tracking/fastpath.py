"""The redirect of a warm code without Django's request machinery (asgi.py calls it).

Most clicks are the same case: GET, a code this process resolved seconds ago, a browser
that is not a preview crawler, no self-click to tell (no session cookie, or a sharer
without an account), today's salt in memory. That case is answered here, in a few dozen
microseconds of Python, with the same event handed to the same buffer as the view's.
Anything else (an unknown code, a withdrawn item, a crawler, a possible self-click,
HEAD, plain HTTP that must go to HTTPS) goes on to Django and the view in views.py,
which does the full job. A code that is merely cold is looked up first (``warm_up``,
run by asgi.py in a thread), so that the next try can answer it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import close_old_connections

from ambassade.core.settings_copy import copied
from ambassade.tracking import codes, hot, lookup, visitors

Headers = list[tuple[bytes, bytes]]
Answer = tuple[int, Headers]  # status and headers
PREFIX = "/r/"


# The settings a quick answer reads, copied once per process (a change makes a new copy).
_settings = copied("SECURE_SSL_REDIRECT", "SESSION_COOKIE_NAME", "SECURE_PROXY_SSL_HEADER")


def _settings_changed(**kwargs: Any) -> None:
    _common.clear()
    _redirects.clear()
    _too_many.clear()


setting_changed.connect(_settings_changed)


def meta_names(also: tuple[str, ...] = ()) -> dict[str, str]:
    """The META key of each header the quick answer reads (and of ``also``), by the
    header's lower-case name: a server need not read the others at all."""
    keys = {*visitors.CLICK_HEADERS, "HTTP_COOKIE", *also}
    header = _settings().secure_proxy_ssl_header
    if header:
        keys.add(header[0])
    return {key[5:].lower().replace("_", "-"): key for key in keys if key[:5] == "HTTP_"}


def secure(scheme: str, meta: Mapping[str, Any]) -> bool:
    """What Django's request.is_secure() answers: the proxy's header when one is trusted."""
    header: tuple[str, str] | None = _settings().secure_proxy_ssl_header
    if header:
        value = str(meta.get(header[0], ""))
        if value:
            return value.split(",")[0].strip() == header[1]
    return scheme == "https"


# The headers every quick answer carries over HTTP and over HTTPS: built once.
_common: dict[bool, Headers] = {}


def _common_headers(is_secure: bool) -> Headers:
    found = _common.get(is_secure)
    if found is not None:
        return found
    headers: Headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", b"0"),
        (b"cache-control", hot.NO_STORE.encode()),
        (b"x-robots-tag", b"noindex"),
        (b"x-content-type-options", b"nosniff"),
    ]
    if settings.SECURE_REFERRER_POLICY:
        headers.append((b"referrer-policy", str(settings.SECURE_REFERRER_POLICY).encode()))
    if is_secure and settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append((b"strict-transport-security", hsts.encode()))
    _common[is_secure] = headers
    return headers


# The headers of each link's redirect, kept with the entry they were made from (a new
# entry, after a refresh, makes them again): the same list for every click, which the
# short-link server writes from its own copy of the bytes.
_redirects: dict[tuple[str, bool], tuple[dict[str, Any], Headers]] = {}
_too_many: dict[bool, Headers] = {}


def _redirect_headers(code: str, entry: dict[str, Any], is_secure: bool) -> Headers:
    found = _redirects.get((code, is_secure))
    if found is not None and found[0] is entry:
        return found[1]
    if len(_redirects) >= lookup.LAST_KNOWN_SIZE:
        _redirects.clear()
    headers = [*_common_headers(is_secure), (b"location", entry["go"].encode())]
    _redirects[code, is_secure] = (entry, headers)
    return headers


def _too_many_headers(is_secure: bool) -> Headers:
    found = _too_many.get(is_secure)
    if found is None:
        found = _too_many[is_secure] = [*_common_headers(is_secure), (b"retry-after", b"60")]
    return found


def code_of(method: str, path: str) -> str | None:
    """The code of a request the lean path may answer, or None (Django's, whatever it is)."""
    # A query string (fbclid=...) changes nothing: the destination is the link's.
    if method != "GET" or not path.startswith(PREFIX):
        return None
    code = path[3:]
    return code if codes.is_well_formed(code) else None


def answer(code: str, meta: Mapping[str, Any], is_secure: bool) -> Answer | None:
    """(status, headers) for the common case, or None to let Django handle the request.
    The headers' list is shared by the answers of the same link: read it, never change it."""
    options = _settings()
    if options.secure_ssl_redirect and not is_secure:
        return None
    entry = lookup.cached(code)
    if entry is None or entry["w"] is not None:
        return None
    if entry["u"] is not None and options.session_cookie_name in meta.get("HTTP_COOKIE", ""):
        return None  # perhaps the sharer: the view checks the session
    salt = visitors.known_salt(visitors.utc_today())
    if salt is None:
        return None
    agent = visitors.user_agent(meta)
    if visitors.is_preview_agent(agent):
        return None
    destination: str = entry["go"]
    if not destination.isascii():
        return None  # Django's response encodes such a header its own way
    # Answered on an event loop (asgi.py): the event is written once the loop's turn ends.
    _preview, flood = hot.record_click(
        entry,
        code,
        meta,
        head=False,
        self_click=False,
        agent=agent,
        preview=False,
        salt=salt,
        batched=True,
    )
    if flood >= hot.TOO_MANY:
        return 429, _too_many_headers(is_secure)
    # 302, never 301: a permanent redirect would be cached and its clicks never seen.
    return 302, _redirect_headers(code, entry, is_secure)


def warm_up(code: str) -> None:
    """Looks a cold code up (links cache, then database) and today's salt, so that
    ``answer`` can tell. Blocking: asgi.py runs it in a thread. Errors are left to the
    view, which answers them (503, stale entry, orphan)."""
    # As around a Django request: a connection that broke or outlived
    # DATABASE_CONN_MAX_AGE is closed rather than reused by the next lookup.
    close_old_connections()
    try:
        if lookup.resolve(code) is not None:
            visitors.salt_for(visitors.utc_today())
    except lookup.Unavailable:
        pass
    finally:
        close_old_connections()


def refresh(code: str) -> None:
    """Reads a code this process holds again before its copy expires (in a thread, like
    ``warm_up``); a failure leaves the copy to expire, and the next request to Django."""
    close_old_connections()
    try:
        lookup.resolve(code, refresh=True)
    except lookup.Unavailable:
        pass
    finally:
        close_old_connections()
