"""How close a personal message is to the suggestion or to colleagues' messages.

``difflib.SequenceMatcher`` from the standard library on casefolded, accent-folded,
whitespace-collapsed text, with the tracked links removed (they differ per person).
Messages are short (a few hundred characters), so its quadratic worst case costs well
under a millisecond each; rapidfuzz would be faster but is one more compiled
dependency for no visible gain at this size.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

URL = re.compile(r"https?://\S+", re.IGNORECASE)


def normalise(text: str) -> str:
    text = URL.sub(" ", text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w#@]+", " ", folded).split())


def similarity(first: str, second: str) -> int:
    """0 to 100: how much of the two normalised texts is the same."""
    a, b = normalise(first), normalise(second)
    if not a or not b:
        return 0
    return round(100 * SequenceMatcher(None, a, b, autojunk=False).ratio())


def closest(message: str, others: Iterable[str]) -> int:
    return max((similarity(message, other) for other in others), default=0)
