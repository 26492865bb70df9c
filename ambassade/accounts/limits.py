"""Sign-in protection: who the source is (a daily pseudonym, never an address) and how long
a limit still holds.

django-allauth counts the attempts (per typed address and per source) in the cache; this
module only gives it a source that is not an IP address and reads back, from the same
cache entries, when the oldest counted attempt expires so the message can say when to try
again.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.http import HttpRequest

SALT_TIMEOUT = 26 * 3600  # yesterday's salt outlives midnight briefly, then is gone


def _daily_salt() -> str:
    """A random salt per UTC day, kept only in the cache: nothing in the database can turn a
    stored pseudonym back into an address, and after a day nothing can at all."""
    key = f"signin-salt:{datetime.now(UTC).date().isoformat()}"
    cache.add(key, secrets.token_hex(32), timeout=SALT_TIMEOUT)
    salt = cache.get(key)
    if salt is None:  # a cache that stores nothing (the dummy backend): a process salt
        salt = _process_salt
    return str(salt)


_process_salt = secrets.token_hex(32)


def source_pseudonym(address: str) -> str:
    """The client's address (an IPv6 address reduced to its /64 network, as allauth does)
    hashed with the day's salt, written as an IPv6 address.

    Written that way because allauth keeps it where it expects an address: the rate-limit
    cache keys and its session rows (an ``inet`` column on PostgreSQL).
    """
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        normalised = address
    else:
        if isinstance(parsed, ipaddress.IPv6Address):
            normalised = str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
        else:
            normalised = str(parsed)
    digest = hmac.new(_daily_salt().encode(), normalised.encode(), hashlib.sha256).digest()
    # The first 64 bits: allauth truncates IPv6 sources to their /64 network itself.
    return str(ipaddress.IPv6Address(digest[:8] + bytes(8)))


@dataclass(frozen=True)
class Block:
    seconds: int
    per: str  # "key" (the address typed) or "ip" (the source)

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def current_block(
    request: HttpRequest, *, app: str, action: str, key: str | None, config: dict[str, str] | None
) -> Block | None:
    """The limit that refuses the next attempt, with how long it still holds."""
    now = time.time()
    found: Block | None = None
    for rate in allauth_ratelimit.get_rates(app=app, action=action, config=config):
        if rate.per == "key" and key is None:
            continue
        cache_key = allauth_ratelimit.get_cache_key(
            request, app=app, action=action, rate=rate, key=key
        )
        history = [stamp for stamp in cache.get(cache_key, []) if stamp > now - rate.duration]
        if len(history) >= rate.amount:
            # The newest entries come first: a slot frees up when the
            # amount-th newest attempt leaves the window.
            seconds = math.ceil(history[rate.amount - 1] + rate.duration - now)
            if found is None or seconds > found.seconds:
                found = Block(seconds=seconds, per=rate.per)
    return found
