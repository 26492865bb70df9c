"""How long a rate limit of django-allauth still refuses, read from its own cache entries,
so that a refusal can say when to try again (the sign-in form and the API tokens)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.core.cache import cache
from django.http import HttpRequest


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
