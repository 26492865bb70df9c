"""The one-time code that protects the first-run form (/setup/) of a new instance.

A production web server that starts with no organisation prints a fresh code in its
log; whoever reads the server's log is the operator, and only they can create the
first organisation from the browser. The code is kept hashed in DATA_DIR, so that all
the web workers see it, and is deleted once an organisation exists.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from pathlib import Path

from django.conf import settings

from ambassade.core.models import Organisation

logger = logging.getLogger("ambassade.setup")

# No 0/O or 1/I/L: the code is read from a log and typed by hand.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _path() -> Path:
    return Path(settings.DATA_DIR) / "setup-code.sha256"


def _hash(code: str) -> str:
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def issue_code() -> str:
    """A new code (12 characters, about 60 bits), replacing any earlier one."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_hash(raw) + "\n", encoding="ascii")
    path.chmod(0o600)
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def is_open() -> bool:
    """The form is offered only while a code waits and no organisation exists."""
    return _path().exists() and not Organisation.objects.exists()


def check_code(code: str) -> bool:
    try:
        expected = _path().read_text(encoding="ascii").strip()
    except OSError:
        return False
    return hmac.compare_digest(expected, _hash(code or ""))


def close() -> None:
    _path().unlink(missing_ok=True)


def announce() -> str | None:
    """Called as the web server starts: prints a code if the instance needs its setup."""
    if settings.DEBUG or Organisation.objects.exists():
        close()
        return None
    code = issue_code()
    url = f"{settings.BASE_URL.rstrip('/')}/setup/"
    logger.warning(
        "No organisation yet: create the first one with `ambassade setup`, or open %s "
        "with the one-time code %s",
        url,
        code,
    )
    return code
