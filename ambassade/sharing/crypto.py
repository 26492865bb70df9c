"""Encryption at rest of account secrets (tokens, app passwords): MultiFernet.

Keys come from ``SHARING_KEYS`` (comma-separated Fernet keys; the first one encrypts,
all of them decrypt). Rotation without downtime: put a new key first, run
``ambassade manage rotate_sharing_keys`` (re-encrypts every secret with it), then drop
the old key. Without ``SHARING_KEYS`` one key is generated once into
``DATA_DIR/sharing_keys`` (mode 0600), like the SECRET_KEY.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from ambassade.core.config import ConfigError


def load_keys(raw: str, data_dir: Path) -> list[str]:
    """The keys, validated; raises ConfigError with one clear line."""
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        path = data_dir / "sharing_keys"
        if path.exists():
            keys = [key.strip() for key in path.read_text().split(",") if key.strip()]
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            key = Fernet.generate_key().decode()
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(key)
            keys = [key]
    for index, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ConfigError(
                f"SHARING_KEYS: key {index} is not a Fernet key (32 url-safe base64 bytes; "
                "make one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`)"
            ) from None
    return keys


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SHARING_KEYS))


def encrypt(secrets: dict[str, str]) -> str:
    return fernet().encrypt(json.dumps(secrets).encode()).decode()


def decrypt(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        data: dict[str, str] = json.loads(fernet().decrypt(token.encode()))
    except InvalidToken:
        raise ConfigError(
            "SHARING_KEYS does not hold the key these secrets were encrypted with"
        ) from None
    return data


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode() if token else token


# Encrypted columns of other apps (``"app_label.Model"``, field), so that key rotation
# re-encrypts them too: a higher app registers its own from its AppConfig.ready().
OTHER_ENCRYPTED_FIELDS: list[tuple[str, str]] = []


def register_encrypted_field(model: str, field: str) -> None:
    if (model, field) not in OTHER_ENCRYPTED_FIELDS:
        OTHER_ENCRYPTED_FIELDS.append((model, field))
