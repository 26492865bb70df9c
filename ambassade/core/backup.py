"""`ambassade backup`: one tar archive with the database, the media and the pending clicks.

Layout of the archive (docs/decisions/0045-backups.md):

    clicks/<spool file>.jsonl     clicks received but not yet stored (CLICK_BUFFER=spool)
    database/ambassade.sqlite3    or database/ambassade.pgdump (pg_dump --format=custom)
    media/<path>                  every stored image, screenshot and photo
    keys.sealed.json              the key files, sealed with a passphrase (unless kept apart)
    manifest.json                 last: the size and sha256 of every other member

The archive is written as ``<name>.partial`` and renamed once complete, so a file with the
final name is always a whole backup. Restoring is ``ambassade restore`` (core/restore.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ambassade
from ambassade.core import backup_database
from ambassade.core.backup_database import Say
from ambassade.core.backup_keys import BackupError, KeyBundle, seal, write_apart

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
SEALED_KEYS = "keys.sealed.json"
CHUNK = 1 << 20


@dataclass(frozen=True)
class Instance:
    """Where an instance keeps what a backup holds; read from the settings of this process."""

    data_dir: Path
    database: dict[str, Any]
    media_root: Path
    clicks_dir: Path
    vapid_file: Path

    @classmethod
    def from_settings(cls) -> Instance:
        from django.conf import settings

        return cls(
            data_dir=Path(settings.DATA_DIR),
            database=dict(settings.DATABASES["default"]),
            media_root=Path(settings.MEDIA_ROOT),
            clicks_dir=Path(settings.CLICK_SPOOL_DIR),
            vapid_file=Path(settings.VAPID_PRIVATE_KEY_FILE),
        )

    @property
    def secret_key_file(self) -> Path:
        return self.data_dir / "secret_key"  # as core/config.py secret_key() keeps it

    @property
    def sharing_keys_file(self) -> Path:
        return self.data_dir / "sharing_keys"  # as sharing/crypto.py load_keys() keeps it


def running_keys(instance: Instance) -> KeyBundle:
    """The keys this process runs with, wherever they came from (environment or files)."""
    from django.conf import settings

    vapid = instance.vapid_file.read_text() if instance.vapid_file.is_file() else ""
    return KeyBundle(
        secret_key=str(settings.SECRET_KEY),
        sharing_keys=list(settings.SHARING_KEYS),
        vapid_private_key=vapid,
    )


class _Hashing(io.RawIOBase):
    """A file read through, its sha256 computed on the way into the tar archive."""

    def __init__(self, handle: Any) -> None:
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_archive_id() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"ambassade-backup-{stamp}-{secrets.token_hex(3)}"


class _Writer:
    """Adds members to the archive and remembers their size and sha256 for the manifest."""

    def __init__(self, archive: tarfile.TarFile) -> None:
        self.archive = archive
        self.members: dict[str, dict[str, Any]] = {}

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(time.time())
        return info

    def add_file(self, name: str, path: Path) -> None:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            reader = _Hashing(handle)
            try:
                self.archive.addfile(self._info(name, size), reader)
            except OSError as error:  # tarfile: the file shrank while it was read
                raise BackupError(f"{path} changed while it was copied: {error}") from None
        self.members[name] = {"size": reader.size, "sha256": reader.digest.hexdigest()}

    def add_bytes(self, name: str, data: bytes, *, listed: bool = True) -> None:
        self.archive.addfile(self._info(name, len(data)), io.BytesIO(data))
        if listed:
            self.members[name] = {"size": len(data), "sha256": sha256_of(data)}


def _files_under(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # Symbolic links are not followed: a link out of the folder is not the instance's data.
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _add_folder(writer: _Writer, folder: Path, prefix: str, say: Say) -> int:
    files = _files_under(folder)
    shown = time.monotonic()
    for done, path in enumerate(files, start=1):
        writer.add_file(f"{prefix}/{path.relative_to(folder).as_posix()}", path)
        if time.monotonic() - shown > 2:
            shown = time.monotonic()
            say(f"  {prefix}: {done} of {len(files)} files")
    say(f"  {prefix}: {len(files)} files")
    return len(files)


def _output_path(output: Path, archive_id: str) -> Path:
    path = output / f"{archive_id}.tar" if output.is_dir() else output
    if path.exists():
        raise BackupError(f"{path} already exists: choose another --output")
    if not path.parent.is_dir():
        raise BackupError(f"--output: the folder {path.parent} does not exist")
    return path


@dataclass(frozen=True)
class Written:
    archive: Path
    keys_file: Path | None
    members: int


def backup(
    instance: Instance,
    output: Path,
    say: Say,
    *,
    passphrase: bytes | None = None,
    keys_apart: Path | None = None,
    bundle: KeyBundle | None = None,
) -> Written:
    """Writes the archive (and the kept-apart keys file); exactly one key option is given."""
    if (passphrase is None) == (keys_apart is None):
        raise BackupError(
            "choose where the keys go: a passphrase file, or a folder to keep them apart"
        )
    if keys_apart is not None and not keys_apart.is_dir():
        raise BackupError(f"--keys-apart: {keys_apart} is not a folder")
    archive_id = new_archive_id()
    path = _output_path(output, archive_id)
    bundle = bundle or running_keys(instance)
    partial = path.with_name(path.name + ".partial")
    started = time.monotonic()
    say(f"Backing up to {path}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            with tarfile.open(fileobj=handle, mode="w", format=tarfile.PAX_FORMAT) as archive:
                writer = _Writer(archive)
                # Clicks first, the database after: a click stored in between is in both,
                # and ingestion keeps one (each event carries its id, tracking/ingest.py).
                _add_folder(writer, instance.clicks_dir, "clicks", say)
                with tempfile.TemporaryDirectory(dir=path.parent, prefix=".ambassade-dump-") as tmp:
                    dump = Path(tmp) / "database"
                    backup_database.dump(instance.database, dump, say)
                    writer.add_file(backup_database.member_name(instance.database), dump)
                _add_folder(writer, instance.media_root, "media", say)
                keys = bundle.to_json()
                if passphrase is not None:
                    writer.add_bytes(SEALED_KEYS, seal(bundle, passphrase, archive_id))
                    keys_entry = {"mode": "sealed", "member": SEALED_KEYS}
                else:
                    keys_entry = {"mode": "apart", "sha256": sha256_of(keys)}
                manifest = {
                    "format": ARCHIVE_FORMAT,
                    "id": archive_id,
                    "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                    "ambassade_version": ambassade.__version__,
                    "database": {
                        "kind": backup_database.kind(instance.database),
                        "member": backup_database.member_name(instance.database),
                    },
                    "keys": keys_entry,
                    "members": writer.members,
                }
                writer.add_bytes(MANIFEST, json.dumps(manifest, indent=2).encode(), listed=False)
            handle.flush()
            os.fsync(handle.fileno())
        keys_file = write_apart(bundle, keys_apart, archive_id) if keys_apart else None
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    size = path.stat().st_size / 1e6
    elapsed = time.monotonic() - started
    say(f"Done: {path} ({size:.1f} MB, {len(writer.members)} files) in {elapsed:.1f} s")
    if keys_file:
        say(f"Keys kept apart in {keys_file}: store it somewhere else than the archive.")
    return Written(archive=path, keys_file=keys_file, members=len(writer.members))
