"""The application the web server runs: short links first, then Django for everything else.

``GET /r/<code>`` of a code this process knows is answered here, before Django builds a
request (tracking/fastpath.py decides, with the same rules and the same click event as
the view). A code it does not know yet is looked up in a thread (links cache, then the
database) so that the event loop never waits, then answered the same way. Whatever the
lean path does not answer itself (preview crawlers, a possible self-click, withdrawn
links, unknown codes, HEAD, plain HTTP that must go to HTTPS, an outage) goes to Django's
ASGI handler and the view in tracking/views.py, as does every other page.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ambassade.settings")
django_application = get_asgi_application()

from ambassade.tracking import buffer, fastpath, lookup, visitors  # noqa: E402

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]

# A few threads per process for cold codes: each lookup is one cache round trip, or one
# query; more would only open more database connections.
LOOKUP_THREADS = 4
_lookups = ThreadPoolExecutor(max_workers=LOOKUP_THREADS, thread_name_prefix="link-lookup")


def run_blocking(function: Callable[..., Any], *args: Any) -> Awaitable[Any]:
    """Runs a blocking call in a lookup thread (the tests run it in their own thread,
    the only one that sees their transaction's rows)."""
    return asyncio.get_running_loop().run_in_executor(_lookups, function, *args)


# What gunicorn's forwarded_allow_ips="127.0.0.1,::1" did: a reverse proxy on this machine
# tells the scheme with one of these headers (the address stays the socket's: the visitor's
# comes from X-Forwarded-For only with TRUST_X_FORWARDED_FOR, in visitors.client_address).
TRUSTED_PROXIES = frozenset({"127.0.0.1", "::1"})
SECURE_SCHEME_HEADERS = {
    b"x-forwarded-protocol": b"ssl",
    b"x-forwarded-proto": b"https",
    b"x-forwarded-ssl": b"on",
}


def forwarded_scheme(scope: Scope) -> Scope:
    """The scope with the scheme a loopback proxy announced, as gunicorn applied it."""
    client = scope.get("client")
    if not client or client[0] not in TRUSTED_PROXIES:
        return scope
    scheme = None
    for name, value in scope.get("headers", ()):
        expected = SECURE_SCHEME_HEADERS.get(name.lower())
        if expected is not None:
            scheme = "https" if value.strip().lower() == expected else "http"
    if scheme is None or scheme == scope.get("scheme"):
        return scope
    return {**scope, "scheme": scheme}


# The same headers under their META names, which the short-link server reads.
_SCHEME_META = [
    ("HTTP_" + name.decode().upper().replace("-", "_"), expected.decode())
    for name, expected in SECURE_SCHEME_HEADERS.items()
]
SCHEME_META_KEYS = tuple(key for key, _expected in _SCHEME_META)


def scheme_from_meta(scheme: str, meta: dict[str, str]) -> str:
    """What ``forwarded_scheme`` decides, from the META entries of a request."""
    if meta.get("REMOTE_ADDR") not in TRUSTED_PROXIES:
        return scheme
    for key, expected in _SCHEME_META:
        value = meta.get(key)
        if value is not None:
            scheme = "https" if value.strip().lower() == expected else "http"
    return scheme


def meta_of(scope: Scope) -> dict[str, str]:
    """The request.META entries the click reads, named and joined as Django's ASGIRequest
    names and joins them (so that both paths see the same address and headers)."""
    meta: dict[str, str] = {}
    client = scope.get("client")
    if client:
        meta["REMOTE_ADDR"] = client[0]
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin1")
        if "_" in name:  # Django ignores them: no spoofing of X-Forwarded-For by X_Forwarded_For
            continue
        key = "HTTP_" + name.upper().replace("-", "_")
        value = raw_value.decode("latin1")
        meta[key] = f"{meta[key]},{value}" if key in meta else value
    return meta


# The lookups under way in this process, one per code: the requests that find the code
# cold wait for the same one (a burst on a new link is one query, not one each).
_under_way: dict[str, asyncio.Future[Any]] = {}


def _look_up(code: str, function: Callable[[str], Any]) -> asyncio.Future[Any]:
    under_way = _under_way.get(code)
    if under_way is None or under_way.get_loop() is not asyncio.get_running_loop():
        under_way = asyncio.ensure_future(run_blocking(function, code))
        _under_way[code] = under_way
        under_way.add_done_callback(lambda _: _under_way.pop(code, None))
    return under_way


def _logged(future: asyncio.Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.error("a tracked link could not be refreshed", exc_info=future.exception())


def warm_answer(code: str, meta: dict[str, str], scheme: str) -> fastpath.Answer | None:
    """(status, headers) of a code this process holds warm, answered without Django, or
    None (the short-link server asks as soon as it has read the headers). A busy code's
    copy is read again in the background before it expires: its requests never wait for
    a lookup (and a withdrawal still ends it in time)."""
    try:
        found = fastpath.answer(code, meta, fastpath.secure(scheme, meta))
        if found is not None and lookup.due_for_refresh(code) and code not in _under_way:
            _look_up(code, fastpath.refresh).add_done_callback(_logged)
    except Exception:
        logger.exception("tracked link fast path failed; Django takes over")
        return None
    return found


async def quick_answer(code: str, meta: dict[str, str], scheme: str) -> fastpath.Answer | None:
    """As ``warm_answer``, but a cold code is looked up first (one lookup for all the
    requests that wait for it)."""
    found = warm_answer(code, meta, scheme)
    if found is not None or (
        lookup.cached(code) is not None and visitors.known_salt(visitors.utc_today()) is not None
    ):
        return found  # answered, or warm but Django's to answer (a preview, say)
    try:
        await asyncio.shield(_look_up(code, fastpath.warm_up))
    except Exception:
        logger.exception("tracked link fast path failed; Django takes over")
        return None
    return warm_answer(code, meta, scheme)


async def _quick_answer(code: str, scope: Scope, send: Send) -> bool:
    """Answers a short link without Django if the lean path can; False if it cannot."""
    found = await quick_answer(code, meta_of(scope), scope.get("scheme", "http"))
    if found is None:
        return False
    status, headers = found
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
    return True


def load_django_urls() -> None:
    """Imports every view module now: Django does it at the first request it resolves,
    which would take that request seconds (the API's schema is built then too). Then
    what was loaded is left out of the garbage collector's full passes: they would walk
    every object of Django at each one, a pause of tens of milliseconds for the requests
    waiting on this process (the "p99 at 1,000 requests/s" of the benchmark)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (the property imports the URLconf)
    gc.collect()
    gc.freeze()


def stop_lookups() -> None:
    _lookups.shutdown(wait=False, cancel_futures=True)


async def _lifespan(receive: Receive, send: Send) -> None:
    """Django does not speak the lifespan protocol: a worker's start loads Django's URLs
    before it takes requests, its stop ends the lookup threads."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            try:
                await run_blocking(load_django_urls)
            except Exception:
                logger.exception("Django's URLs could not be loaded; the first request will")
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            stop_lookups()
            buffer.flush()  # the clicks of the last turn of the loop
            await send({"type": "lifespan.shutdown.complete"})
            return


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http":
        scope = forwarded_scheme(scope)
        code = fastpath.code_of(scope["method"], scope["path"])
        if code is not None and await _quick_answer(code, scope, send):
            return
    elif scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    await django_application(scope, receive, send)
