"""Short codes: random, from the 62 letters and digits, checked before any lookup."""

from __future__ import annotations

import secrets
import string

ALPHABET = string.ascii_letters + string.digits
LENGTH = 8  # 62**8 ≈ 2.2e14 codes: guessing one that exists is hopeless
MIN_LENGTH, MAX_LENGTH = 7, 16


def new_code(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def is_well_formed(code: str) -> bool:
    """Length and alphabet only; ASCII first, so that no Unicode letter or digit slips in
    (an ASCII string's isalnum is exactly [A-Za-z0-9], cheaper than a pattern per click)."""
    return MIN_LENGTH <= len(code) <= MAX_LENGTH and code.isascii() and code.isalnum()
