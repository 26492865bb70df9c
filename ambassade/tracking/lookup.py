"""Resolving a code: one query the first time, then the links cache.

An entry holds everything a redirect needs (destination with the attribution reference,
withdrawal answer, the sharer's account for self-clicks, the preview card). Entries are
served stale while the database does not answer.

Each code has a generation in the cache too, a random token that every change (a
withdrawal, new settings) replaces after its commit. An entry carries the generation
read *before* its row was, and is used only while that is still the code's generation:
a lookup that read the row just before a withdrawal committed may still write its entry,
but that entry is dead on arrival. Without the token the stale entry would overwrite the
withdrawal's deletion and redirect for minutes. A generation that expired or was
evicted is replaced by a new one, which makes every entry of the code stale: never
wrong, only one more query. Entries are also re-read from the database after
``FRESH_SECONDS``; without Redis each process has its own cache, which only that refresh
brings up to date, hence the short time there. This process's own copy
(``LOCAL_FRESH_SECONDS``) is what the fast path reads, so a change is seen everywhere
within that time.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError

logger = logging.getLogger(__name__)

# How long this process trusts its own copy without asking the shared cache again, and
# after how long a request answered from it has the copy read again in the background.
LOCAL_FRESH_SECONDS = 5
REFRESH_AFTER_SECONDS = 3
# Shared with Redis, where every change replaces the code's generation; otherwise each
# process's own, which nobody else can clear.
FRESH_SECONDS = 300 if settings.REDIS_URL else LOCAL_FRESH_SECONDS
MISSING_SECONDS = 30
KEEP_SECONDS = 7 * 24 * 3600
LAST_KNOWN_SIZE = 10_000
MISSING = {"missing": True}


class Unavailable(Exception):
    """The code is in no cache and the database does not answer."""


# This process's copy of recent entries (code -> (when seen, entry)): the hot path reads
# it first, and it answers when neither Redis nor the database do.
_last_known: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()


def _key(code: str) -> str:
    return f"code:{code}"


def _generation_key(code: str) -> str:
    return f"generation:{code}"


def _new_generation() -> str:
    return uuid.uuid4().hex


def _generation(cache: Any, code: str, found: str | None) -> str | None:
    """The code's generation, made now if it has none (so that it exists before any
    entry is written with it); None if the cache does not tell."""
    if found is not None:
        return found
    made = _new_generation()
    if cache.add(_generation_key(code), made, timeout=KEEP_SECONDS):
        return made
    current = cache.get(_generation_key(code))  # another lookup made it first
    return current if isinstance(current, str) else None


def _remember(code: str, entry: dict[str, Any]) -> None:
    _last_known[code] = (time.time(), entry)
    _last_known.move_to_end(code)
    while len(_last_known) > LAST_KNOWN_SIZE:
        _last_known.popitem(last=False)


# og:locale is language_TERRITORY; the territory where each language is mostly read.
_LOCALES = {"fr": "fr_FR", "en": "en_GB", "de": "de_DE", "es": "es_ES", "it": "it_IT"}


def og_locale(language: str) -> str:
    language = language.strip().replace("-", "_")
    if "_" in language:
        code, territory = language.split("_", 1)
        return f"{code.lower()}_{territory.upper()}"
    return _LOCALES.get(language.lower(), language.lower())


def entry_for_link(link: Any) -> dict[str, Any]:
    """What the cache keeps for a link (link with ``organisation`` and ``person`` loaded)."""
    from ambassade.tracking.actions import settings_or_defaults
    from ambassade.tracking.destinations import with_parameters

    options = settings_or_defaults(link.organisation)
    destination = link.destination
    if options.attribution_parameter:
        destination = with_parameters(destination, {options.attribution_parameter: link.code})
    withdrawn = None
    if link.withdrawn_at is not None:
        withdrawn = (
            options.fallback_url
            if options.withdrawn_response == "fallback" and options.fallback_url
            else "gone"
        )
    return {
        "id": link.pk,
        "o": link.organisation_id,
        "n": link.network,
        "u": link.person.user_id if link.person is not None else None,
        "go": destination,
        "w": withdrawn,
        "p": {
            "title": link.preview_title,
            "description": link.preview_description,
            "image": link.preview_image_url,
            "width": link.preview_image_width,
            "height": link.preview_image_height,
            "lang": link.preview_language,
            "locale": og_locale(link.preview_language),
            "site": link.preview_site_name,
            "url": link.destination,
        },
        "at": time.time(),
    }


def _load(code: str) -> dict[str, Any]:
    from ambassade.tracking.models import TrackedLink

    link = (
        TrackedLink.objects.select_related("organisation__tracking_settings", "person")
        .filter(code=code)
        .first()
    )
    if link is None:
        return {**MISSING, "at": time.time()}
    return entry_for_link(link)


def cached(code: str) -> dict[str, Any] | None:
    """The entry if this process saw it fresh within seconds: no cache, no database."""
    known = _last_known.get(code)
    if known is not None and time.time() - known[0] < LOCAL_FRESH_SECONDS:
        return known[1]
    return None


def due_for_refresh(code: str) -> bool:
    """Whether this process's copy of the code should be read again soon."""
    known = _last_known.get(code)
    return known is not None and time.time() - known[0] >= REFRESH_AFTER_SECONDS


def resolve(code: str, *, refresh: bool = False) -> dict[str, Any] | None:
    """The entry of a well-formed code, None if it does not exist; raises Unavailable.
    ``refresh`` reads past this process's copy (which it then renews)."""
    if not refresh:
        local = cached(code)
        if local is not None:
            return local
    cache = caches["links"]
    entry: dict[str, Any] | None = None
    generation: str | None = None
    try:
        # One round trip: the entry and the generation it must carry to be current.
        found = cache.get_many([_key(code), _generation_key(code)])
        entry = found.get(_key(code))
        generation = _generation(cache, code, found.get(_generation_key(code)))
    except Exception:
        logger.warning("the links cache is unavailable")
    now = time.time()
    if entry is not None and generation is not None and entry.get("g") == generation:
        age = now - entry.get("at", 0)
        if entry.get("missing"):
            if age < MISSING_SECONDS:
                return None
        # Without Redis the shared cache is this process's own and says nothing newer
        # than its copy: a refresh reads the database.
        elif age < FRESH_SECONDS and (settings.REDIS_URL or not refresh):
            _remember(code, entry)
            return entry
    try:
        fresh = _load(code)
    except DatabaseError:
        known = _last_known.get(code)
        stale = entry if entry is not None and not entry.get("missing") else None
        stale = stale or (known[1] if known is not None else None)
        if stale is not None:
            return stale
        raise Unavailable from None
    fresh["g"] = generation
    if generation is not None:  # an entry without one could never be told stale
        try:
            timeout = MISSING_SECONDS if fresh.get("missing") else KEEP_SECONDS
            cache.set(_key(code), fresh, timeout=timeout)
        except Exception:
            logger.warning("the links cache is unavailable")
    if fresh.get("missing"):
        _last_known.pop(code, None)
        return None
    _remember(code, fresh)
    return fresh


def forget(codes: list[str]) -> None:
    """After a change has committed: every entry of these codes, in any process, is stale.

    New generations first: a lookup that read the row before the change may write its
    entry after this deletion, and must find it already outdated."""
    for code in codes:
        _last_known.pop(code, None)
    try:
        cache = caches["links"]
        cache.set_many(
            {_generation_key(code): _new_generation() for code in codes}, timeout=KEEP_SECONDS
        )
        cache.delete_many([_key(code) for code in codes])
    except Exception:
        logger.warning("the links cache is unavailable; entries expire by themselves")
