"""How long a post is on each network, counted the way the network counts it.

One module so the studio, the composer of the Sharing feature and the publishing task
agree. ``static/content/counter.js`` applies the same rules for the live counter (the
page hands it ``RULES`` as data); the server's count (shown on save) is the reference.

Each network declares its own rule (``declare``) when the sharing app registers it
(sharing/networks/base.py ``register``): content lists no network itself, so a new
network module is counted, named and offered everywhere without a change here.

- LinkedIn: 3,000 characters (code points).
- X: 280, every URL counts 23 (t.co), and characters outside the Latin, punctuation
  and symbol ranges X weighs 1 (CJK, emoji) count 2.
- Bluesky: 300 graphemes (what a person sees as one character: "é" written with a
  combining accent, a flag, a family emoji are one each).
- Mastodon: 500, every URL counts 23, a mention "@name@server" counts as "@name".
- Any other network: its limit in characters (code points), URLs as typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

URL_LENGTH = 23
URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
MASTODON_MENTION = re.compile(r"(@[\w.]+)@[\w.-]+\.\w+")
# Code point ranges X counts as 1 (twitter-text's default configuration).
_X_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_ZWJ = "\u200d"


@dataclass(frozen=True)
class Rule:
    """How one network counts a post, declared by the network itself."""

    code: str
    name: str  # the brand name, the same in every language
    limit: int
    url_length: int | None = None  # every URL counts this many; None: as typed
    graphemes: bool = False  # what a person sees as one character counts one (Bluesky)
    weighted: bool = False  # characters outside X's light ranges count 2 (X)
    short_mentions: bool = False  # "@name@server" counts as "@name" (Mastodon)
    rank: int = 100  # where the network comes in lists of every network


RULES: dict[str, Rule] = {}
LIMITS: dict[str, int] = {}  # code -> limit, in the networks' order


def declare(rule: Rule) -> None:
    """A network's counting rule; a second declaration of one code replaces the first."""
    RULES[rule.code] = rule
    ordered = sorted(RULES.values(), key=lambda each: (each.rank, each.code))
    RULES.clear()
    RULES.update((each.code, each) for each in ordered)
    LIMITS.clear()
    LIMITS.update((each.code, each.limit) for each in ordered)


def rules_data() -> list[dict[str, Any]]:
    """The rules as plain data, for the live counter (counter.js)."""
    return [asdict(rule) for rule in RULES.values()]


@dataclass(frozen=True)
class Count:
    network: str
    used: int
    limit: int

    @property
    def remaining(self) -> int:
        return self.limit - self.used

    @property
    def over(self) -> bool:
        return self.used > self.limit


def _extends(char: str) -> bool:
    """Whether a code point belongs to the grapheme before it."""
    code = ord(char)
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in {"Mn", "Me", "Mc"}
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
    )


def graphemes(text: str) -> int:
    """An approximation of extended grapheme clusters, good for posts (no regex module)."""
    count = 0
    previous = ""
    regional_open = False
    joined = False
    for char in text:
        code = ord(char)
        if joined or (previous and _extends(char)) or char == _ZWJ:
            joined = char == _ZWJ
            previous = char
            continue
        if 0x1F1E6 <= code <= 0x1F1FF:  # regional indicators pair into flags
            if regional_open:
                regional_open = False
                previous = char
                continue
            regional_open = True
        else:
            regional_open = False
        count += 1
        previous = char
    return count


def _x_weight(text: str) -> int:
    total = 0
    for char in text:
        code = ord(char)
        total += 1 if any(low <= code <= high for low, high in _X_LIGHT) else 2
    return total


def length(text: str, network: str) -> int:
    rule = RULES.get(network)
    if rule is None:
        return len(text)
    if rule.short_mentions:
        text = MASTODON_MENTION.sub(r"\1", text)
    if rule.graphemes:
        return graphemes(text)
    urls = URL.findall(text) if rule.url_length is not None else []
    if urls:
        text = URL.sub("", text)
    counted = _x_weight(text) if rule.weighted else len(text)
    return counted + (rule.url_length or 0) * len(urls)


DEFAULT_LIMIT = 3000  # a network no module declares (a share link's): LinkedIn's length


def count(text: str, network: str) -> Count:
    return Count(network, length(text, network), LIMITS.get(network, DEFAULT_LIMIT))


def counts(text: str, network: str = "any") -> list[Count]:
    """The counts for one network, or for every network when the message is for any."""
    networks = list(LIMITS) if network not in LIMITS else [network]
    return [count(text, name) for name in networks]
