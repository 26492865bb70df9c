"""The installation's VAPID key pair (RFC 8292), which signs every message we hand to a
browser's push service so that it knows the message comes from the server the device
subscribed to.

The private key is generated once, on first use, into ``VAPID_PRIVATE_KEY_FILE`` (by
default DATA_DIR/vapid_private_key.pem, mode 0600), next to the SECRET_KEY and the
sharing keys; it never lives in the repository. The public key is what the page gives
``pushManager.subscribe`` as ``applicationServerKey``. Replacing the file invalidates
every subscription: the push services then answer 403 and devices must subscribe again.
"""

from __future__ import annotations

import base64
import os
import time
from email.utils import parseaddr
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid

from ambassade.core.config import ConfigError

# Push services refuse tokens valid for more than 24 hours; 12 leaves room for clock skew.
TOKEN_LIFETIME_SECONDS = 12 * 3600


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        # O_EXCL: two processes starting at once keep the first one's key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)


@cache
def _load(path: str) -> Vapid:
    file = Path(path)
    if not file.exists():
        _create(file)
    try:
        return Vapid.from_pem(file.read_bytes())
    except Exception:
        raise ConfigError(
            f"VAPID_PRIVATE_KEY_FILE: {path} is not a PEM P-256 private key "
            "(remove it to have a new one generated; devices will subscribe again)"
        ) from None


def signer() -> Vapid:
    return _load(str(settings.VAPID_PRIVATE_KEY_FILE))


def public_key() -> str:
    """The application server key, as the browser's ``subscribe`` wants it (base64url)."""
    raw = signer().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(raw)


def subject() -> str:
    if settings.VAPID_SUBJECT:
        return str(settings.VAPID_SUBJECT)
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "ambassade@localhost"
    return f"mailto:{address}"


def authorization(endpoint: str) -> str:
    """The ``Authorization: vapid t=<JWT>,k=<public key>`` header for one push service."""
    parts = urlsplit(endpoint)
    claims = {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(time.time()) + TOKEN_LIFETIME_SECONDS,
        "sub": subject(),
    }
    header: str = signer().sign(claims)["Authorization"]
    return header
