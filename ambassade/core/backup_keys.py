"""The key files of a backup: kept apart in a file of their own, or sealed with a passphrase.

Without these keys a restored database is of little use: the SECRET_KEY signs sessions and
links, the sharing keys decrypt every social account's tokens, and the VAPID key is what
the devices' push subscriptions were made for. An archive therefore never holds them in
clear: the operator either stores a separate keys file somewhere else (a password manager,
another machine), or gives a passphrase that seals them inside the archive.

Sealing uses the `cryptography` package's primitives, nothing home-made: scrypt derives a
256-bit key from the passphrase and a random salt, AES-GCM encrypts and authenticates the
keys, with the archive's id as associated data so that a sealed blob cannot be moved into
another archive unnoticed.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = 1
# scrypt cost: 2**15 × 8 × 128 bytes = 32 MB of memory and about 0.1 s a try, which makes
# guessing a passphrase expensive without making a restore slow.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MIN_PASSPHRASE_LENGTH = 12


class BackupError(Exception):
    """Anything that stops a backup or a restore; the message says what to do."""


@dataclass(frozen=True)
class KeyBundle:
    """The secrets an instance needs beside its database, as the running settings hold them."""

    secret_key: str
    sharing_keys: list[str]
    vapid_private_key: str  # PEM text; empty when push was never used (no key yet)

    def to_json(self) -> bytes:
        return json.dumps({"format": FORMAT, **asdict(self)}, indent=2).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> KeyBundle:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise BackupError(
                    f"keys in format {data.get('format')!r}; this version reads {FORMAT}"
                )
            return cls(
                secret_key=str(data["secret_key"]),
                sharing_keys=[str(key) for key in data["sharing_keys"]],
                vapid_private_key=str(data["vapid_private_key"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BackupError("the keys file is not an Ambassade keys file") from None


def read_passphrase(path: Path) -> bytes:
    """The passphrase in a file (its final line break ignored), checked for length."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise BackupError(f"cannot read the passphrase file {path}: {error.strerror}") from None
    passphrase = raw.rstrip(b"\r\n")
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise BackupError(
            f"the passphrase in {path} is shorter than {MIN_PASSPHRASE_LENGTH} characters"
        )
    return passphrase


def _derive(passphrase: bytes, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(passphrase)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def seal(bundle: KeyBundle, passphrase: bytes, archive_id: str) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    ciphertext = AESGCM(_derive(passphrase, salt)).encrypt(
        nonce, bundle.to_json(), archive_id.encode()
    )
    sealed = {
        "format": FORMAT,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": _b64(salt)},
        "cipher": {"name": "AES-256-GCM", "nonce": _b64(nonce)},
        "ciphertext": _b64(ciphertext),
    }
    return json.dumps(sealed, indent=2).encode()


def unseal(raw: bytes, passphrase: bytes, archive_id: str) -> KeyBundle:
    try:
        sealed = json.loads(raw)
        kdf, cipher = sealed["kdf"], sealed["cipher"]
        if kdf["name"] != "scrypt" or cipher["name"] != "AES-256-GCM":
            raise BackupError(f"unknown key sealing {kdf['name']}/{cipher['name']}")
        salt = base64.b64decode(kdf["salt"])
        nonce = base64.b64decode(cipher["nonce"])
        ciphertext = base64.b64decode(sealed["ciphertext"])
        # The stored cost is read back, bounded so that a forged archive cannot ask for
        # gigabytes of memory.
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if not (2**10 <= n <= 2**20 and 1 <= r <= 16 and 1 <= p <= 4):
            raise BackupError("the sealed keys ask for an unreasonable scrypt cost")
        key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase)
    except (ValueError, KeyError, TypeError):
        raise BackupError("the sealed keys in the archive are unreadable") from None
    try:
        plain = AESGCM(key).decrypt(nonce, ciphertext, archive_id.encode())
    except InvalidTag:
        raise BackupError(
            "wrong passphrase: the keys in this archive cannot be opened with it"
        ) from None
    return KeyBundle.from_json(plain)


def apart_file_name(archive_id: str) -> str:
    return f"{archive_id}.keys.json"


def write_apart(bundle: KeyBundle, folder: Path, archive_id: str) -> Path:
    """Writes the keys file (mode 0600) into ``folder``; never replaces an existing one."""
    if not folder.is_dir():
        raise BackupError(f"--keys-apart: {folder} is not a folder")
    path = folder / apart_file_name(archive_id)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise BackupError(f"cannot write the keys file {path}: {error.strerror}") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(bundle.to_json())
    return path


def read_apart(location: Path, archive_id: str) -> bytes:
    """The kept-apart keys file: ``location`` itself, or the archive's file inside it."""
    path = location / apart_file_name(archive_id) if location.is_dir() else location
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BackupError(
            f"--keys-from: {path} does not exist (this archive's keys were written "
            f"apart as {apart_file_name(archive_id)})"
        ) from None
    except OSError as error:
        raise BackupError(f"cannot read the keys file {path}: {error.strerror}") from None
