"""Sign-in protection: who the source is, as a daily pseudonym, never an address.

django-allauth counts the attempts (per typed address and per source) in the cache; this
module gives it a source that is not an IP address (see core/limits.py for how long a
limit still holds).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from datetime import UTC, datetime

from django.core.cache import cache

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
