"""What a click does, shared by the Django view and asgi.py's quick answer: classify what
can be classified cheaply, hash the visitor, hand the event to the buffer."""

from __future__ import annotations

import time
from random import getrandbits
from typing import Any

from ambassade.tracking import buffer, visitors

NO_STORE = "private, no-store, max-age=0"
TOO_MANY = 10  # times over the flood limit: answered 429 instead of the redirect


def event_id() -> str:
    """128 random bits in hex (stored as a UUID). Python's generator, not the system's:
    the id only tells a repeated event from another, and a system call per click cost
    more than the rest of the id (the generator is seeded again in a forked worker)."""
    return f"{getrandbits(128):032x}"


def record_click(
    entry: dict[str, Any],
    code: str,
    meta: visitors.Meta,
    *,
    head: bool,
    self_click: bool,
    agent: str | None = None,
    preview: bool | None = None,
    salt: str | None = None,
    batched: bool = False,
) -> tuple[bool, int]:
    """Buffers the event of a request for a known code; returns (preview, flood level).
    ``agent``, ``preview`` and today's ``salt`` are given when the caller has already
    read them; ``batched`` by an event loop's quick answer (buffer.hand_over)."""
    agent = visitors.user_agent(meta) if agent is None else agent
    address = visitors.client_address(meta)
    salt = visitors.salt_for(visitors.utc_today()) if salt is None else salt
    visitor = visitors.visitor_hash(salt, address, agent, entry["o"])
    preview = visitors.is_preview_agent(agent) if preview is None else preview
    event: dict[str, Any] = {
        # The event's own id: the ingestion stores it once, however many times it arrives
        # (Redis may accept it and answer too late, and then it goes to the spool as well).
        "i": event_id(),
        "k": "p" if preview else "c",
        "t": int(time.time() * 1000) / 1000,  # milliseconds (round() costs more)
        "c": code,
        "l": entry["id"],
        "o": entry["o"],
        "n": entry["n"],
        "v": visitor,
        "ua": agent,
        "r": visitors.referrer_host(meta),
        "al": visitors.language(meta),
    }
    if head:
        event["h"] = 1
    if visitors.is_prefetch(meta):
        event["pf"] = 1
    if self_click:
        event["s"] = 1
    flood = 0 if preview else visitors.flood_level(visitor)
    if flood:
        event["fl"] = 1
    country = visitors.country(address)
    if country:
        event["cc"] = country
    buffer.hand_over(event, batched=batched)
    return preview, flood


def record_orphan(code: str, meta: visitors.Meta) -> None:
    buffer.hand_over(
        {
            "i": event_id(),
            "k": "o",
            "t": round(time.time(), 3),
            "c": visitors.clean_text(code, 40),
            "ua": visitors.user_agent(meta),
            "r": visitors.referrer_host(meta),
        }
    )
