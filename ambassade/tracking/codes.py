"""Short codes: random, from the 62 letters and digits, checked before any lookup."""

from __future__ import annotations

import re
import secrets
import string

ALPHABET = string.ascii_letters + string.digits
LENGTH = 8  # 62**8 ≈ 2.2e14 codes: guessing one that exists is hopeless
MIN_LENGTH, MAX_LENGTH = 7, 16
_VALID = re.compile(rf"[A-Za-z0-9]{{{MIN_LENGTH},{MAX_LENGTH}}}")


def new_code(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def is_well_formed(code: str) -> bool:
    """Length and alphabet only; an ASCII check first so that no Unicode digit slips in."""
    return code.isascii() and _VALID.fullmatch(code) is not None
