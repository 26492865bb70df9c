"""Who is asking: preview crawlers, prefetches, the visitor's daily hash, safe header values.

Only what can be decided cheaply runs in the request; the expensive parts (crawler
detection for other bots, device and browser) run at ingestion on the stored user agent
(which leaves the spool file once ingested, and is never stored in the database).
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import re
import secrets
import threading
import time
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import caches
from django.db import DatabaseError, IntegrityError

from ambassade.core.settings_copy import copied

logger = logging.getLogger(__name__)

# request.META, or the WSGI environ itself (same names).
Meta = Mapping[str, Any]

# Link-preview fetchers: they get the card page, and count as previews, not clicks.
PREVIEW_AGENTS = (
    "linkedinbot",
    "twitterbot",
    "facebookexternalhit",
    "facebookcatalog",
    "slackbot",
    "slack-imgproxy",
    "discordbot",
    "telegrambot",
    "whatsapp",
    "mastodon/",
    "bluesky cardyb",
    "skypeuripreview",
    "microsoftpreview",
)
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_MOZ", "HTTP_X_PURPOSE")
# Every header a click reads (with REMOTE_ADDR): a server may leave the others unread.
CLICK_HEADERS = (
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_X_FORWARDED_FOR",
    *PREFETCH_HEADERS,
)

MAX_USER_AGENT = 300
MAX_HOST = 100
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8}){0,2}")
_HOST = re.compile(r"[a-z0-9.-]+")


_options = copied("TRUST_X_FORWARDED_FOR", "CLICK_FLOOD_LIMIT", "GEOIP_DATABASE")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_today: tuple[int, date] = (-1, date(1970, 1, 1))


def utc_today() -> date:
    """Today in UTC; the date object is made once a day (each click asks)."""
    global _today
    day = int(time.time()) // 86400
    if day != _today[0]:
        _today = (day, date.fromordinal(_EPOCH_ORDINAL + day))
    return _today[1]


def clean_text(value: str, limit: int) -> str:
    """Printable characters only, truncated: what a strange header may leave of itself."""
    value = value[: limit * 2]
    if value.isprintable():  # the usual case, without a look at each character
        return value[:limit]
    return "".join(char for char in value if char.isprintable())[:limit]


def user_agent(meta: Meta) -> str:
    return _clean_agent(meta.get("HTTP_USER_AGENT", ""))


@lru_cache(maxsize=4096)  # a few browsers' agents make most clicks: each cleaned once
def _clean_agent(agent: str) -> str:
    return clean_text(agent, MAX_USER_AGENT)


# One search instead of a loop over the names: a click reads it.
_PREVIEW = re.compile("|".join(re.escape(name) for name in PREVIEW_AGENTS))


@lru_cache(maxsize=4096)  # a few browsers' agents make most clicks: each read once
def is_preview_agent(agent: str) -> bool:
    return _PREVIEW.search(agent.lower()) is not None


def is_prefetch(meta: Meta) -> bool:
    for header in PREFETCH_HEADERS:
        value = meta.get(header, "")
        if value and ("prefetch" in value.lower() or "preview" in value.lower()):
            return True
    return False


def referrer_host(meta: Meta) -> str:
    referrer = meta.get("HTTP_REFERER", "")[:2048]
    return _host_of(referrer) if referrer else ""


@lru_cache(maxsize=4096)  # clicks come from a few pages (the networks' feeds): each parsed once
def _host_of(referrer: str) -> str:
    try:
        host = (urlsplit(referrer).hostname or "").lower()
    except ValueError:
        return ""
    host = host[:MAX_HOST]
    return host if _HOST.fullmatch(host) else ""


def language(meta: Meta) -> str:
    return _first_language(meta.get("HTTP_ACCEPT_LANGUAGE", "")[:200])


@lru_cache(maxsize=1024)  # browsers send a few dozen distinct lists: each read once
def _first_language(accepted: str) -> str:
    first = accepted.split(",", 1)[0]
    tag = first.split(";", 1)[0].strip()
    return tag.lower() if _LANGUAGE.fullmatch(tag) else ""


def client_address(meta: Meta) -> str:
    address = meta.get("REMOTE_ADDR", "") or ""
    if _options().trust_x_forwarded_for:
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")[:1000]
        if forwarded:
            address = forwarded.rsplit(",", 1)[-1].strip()
    return _normalised_address(address)


@lru_cache(maxsize=65536)
def _normalised_address(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip("[]")))
    except ValueError:
        return ""


# --- The day's salt ---------------------------------------------------------------------
_salts: dict[date, str] = {}
_salt_lock = threading.Lock()


def salt_for(day: date) -> str:
    """The secret salt of the day: from this process, the cache, or the table (created
    once by whoever asks first). If the database is down and nobody knows it yet, this
    process uses a salt of its own for the day (visitors may then count twice)."""
    known = _salts.get(day)
    if known is not None:
        return known
    with _salt_lock:
        known = _salts.get(day)
        if known is not None:
            return known
        cache = caches["links"]
        key = f"salt:{day.isoformat()}"
        salt: str | None = None
        try:
            salt = cache.get(key)
        except Exception:
            logger.warning("the links cache is unavailable")
        if salt is None:
            salt = _salt_from_database(day)
            if salt is not None:
                try:
                    cache.set(key, salt, timeout=26 * 3600)
                except Exception:
                    logger.warning("the links cache is unavailable")
        if salt is None:
            # Not remembered: the next request tries the database again.
            return secrets.token_hex(32)
        _salts.clear()  # only today's salt stays in memory
        _salts[day] = salt
        return salt


def _salt_from_database(day: date) -> str | None:
    from ambassade.tracking.models import VisitorSalt

    try:
        found = VisitorSalt.objects.filter(day=day).values_list("salt", flat=True).first()
        if found is not None:
            return found
        try:
            return VisitorSalt.objects.create(day=day, salt=secrets.token_hex(32)).salt
        except IntegrityError:
            return VisitorSalt.objects.filter(day=day).values_list("salt", flat=True).first()
    except DatabaseError:
        logger.warning("the visitor salt could not be read: the database is unavailable")
        return None


def known_salt(day: date) -> str | None:
    """The day's salt if this process already holds it (no cache, no database)."""
    return _salts.get(day)


def forget_salts() -> None:
    _salts.clear()


def visitor_hash(salt: str, address: str, agent: str, organisation_id: int) -> str:
    """Keyed BLAKE2b (a MAC) of the visitor with the day's salt: 32 hex digits."""
    mac = _keyed(salt).copy()
    mac.update(f"{address}\n{agent}\n{organisation_id}".encode())
    return mac.hexdigest()


@lru_cache(maxsize=4)  # one salt a day
def _keyed(salt: str) -> Any:
    """The MAC with the day's key already absorbed: each click copies it (cheaper than
    hashing the key block again)."""
    return hashlib.blake2b(key=salt.encode()[:64], digest_size=16)


# --- Floods -----------------------------------------------------------------------------
_flood_minute = 0
_flood_counts: dict[str, int] = {}


def flood_level(visitor: str) -> int:
    """How many times over the limit this visitor is this minute (0: not a flood).

    Counted per process, which is enough to tell a flood from people."""
    global _flood_minute, _flood_counts
    limit = _options().click_flood_limit
    if not limit:
        return 0
    minute = int(time.time()) // 60
    if minute != _flood_minute or len(_flood_counts) > 100_000:
        _flood_minute, _flood_counts = minute, {}
    count = _flood_counts.get(visitor, 0) + 1
    _flood_counts[visitor] = count
    return count // (limit + 1) if count > limit else 0


# --- Country ----------------------------------------------------------------------------
_geoip_reader: Any = None


def country(address: str) -> str:
    """ISO country code from the operator's GeoIP database, or "" without one."""
    global _geoip_reader
    database = _options().geoip_database
    if not database or not address:
        return ""
    try:
        if _geoip_reader is None:
            import maxminddb

            _geoip_reader = maxminddb.open_database(database)
        record = _geoip_reader.get(address)
    except Exception:
        return ""
    if not isinstance(record, dict):
        return ""
    found = record.get("country") or record.get("registered_country") or {}
    code = found.get("iso_code", "") if isinstance(found, dict) else ""
    return code if isinstance(code, str) and len(code) == 2 and code.isalpha() else ""
