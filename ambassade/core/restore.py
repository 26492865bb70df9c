"""`ambassade restore`: an archive of core/backup.py back into an empty data folder and database.

Order, so that a refusal never leaves anything behind:
1. read the whole archive and check every member against the manifest (size, sha256);
2. open the keys (the passphrase, or the kept-apart file that the manifest names by sha256);
3. check that the database and the data folder are empty;
4. extract into a staging folder inside the data folder, checking the hashes again;
5. put the database in place (an atomic rename for SQLite, one transaction for pg_restore),
   then move the media and pending clicks, then write the key files (mode 0600).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ambassade.core import backup_database
from ambassade.core.backup import ARCHIVE_FORMAT, CHUNK, MANIFEST, SEALED_KEYS, Instance
from ambassade.core.backup_database import Say
from ambassade.core.backup_keys import BackupError, KeyBundle, read_apart, unseal
from ambassade.core.config import text as environment_text

# What a data folder holds before anything was ever stored: files the settings create on
# the first start (the generated keys) and what `collectstatic` rebuilds.
GENERATED_ON_START = {"secret_key", "sharing_keys", "vapid_private_key.pem", "setup-code.sha256"}
REBUILT_FOLDERS = {"static"}


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"the archive holds a member with an unsafe name: {name!r}")
    return path


def _open(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, mode="r:")
    except FileNotFoundError:
        raise BackupError(f"{archive} does not exist") from None
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{archive} is not a readable backup archive: {error}") from None


def _digest(archive: tarfile.TarFile, member: tarfile.TarInfo, copy_to: Path | None) -> str:
    source = archive.extractfile(member)
    if source is None:
        raise BackupError(f"the archive member {member.name!r} is not a file")
    digest = hashlib.sha256()
    try:
        target = copy_to.open("wb") if copy_to else None
    except OSError as error:
        raise BackupError(f"cannot write {copy_to}: {error.strerror}") from None
    try:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            if target:
                try:
                    target.write(chunk)
                except OSError as error:  # a full disk is no corrupt archive
                    raise BackupError(f"cannot write {copy_to}: {error.strerror}") from None
    finally:
        if target:
            target.close()
    return digest.hexdigest()


def verify(archive_path: Path, say: Say, staging: Path | None = None) -> dict[str, Any]:
    """Checks every member against the manifest; with ``staging``, extracts them there too."""
    with _open(archive_path) as archive:
        try:
            members = archive.getmembers()
            manifest_member = next((m for m in members if m.name == MANIFEST), None)
            if manifest_member is None:
                raise BackupError(
                    f"{archive_path} has no manifest: it is not a whole Ambassade backup"
                )
            manifest = json.loads(archive.extractfile(manifest_member).read())  # type: ignore[union-attr]
            if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
                raise BackupError(f"{archive_path}: unknown backup format")
            expected: dict[str, dict[str, Any]] = manifest["members"]
            found: set[str] = set()
            shown = time.monotonic()
            for member in members:
                if member.name == MANIFEST:
                    continue
                name = _safe_name(member.name)
                if not member.isfile() or member.name not in expected:
                    raise BackupError(
                        f"the archive holds {member.name!r}, which its manifest does not list"
                    )
                copy_to = None
                if staging is not None:
                    copy_to = staging.joinpath(*name.parts)
                    copy_to.parent.mkdir(parents=True, exist_ok=True)
                digest = _digest(archive, member, copy_to)
                wanted = expected[member.name]
                if digest != wanted["sha256"] or member.size != wanted["size"]:
                    raise BackupError(
                        f"the archive is corrupt: {member.name} does not match its manifest"
                    )
                found.add(member.name)
                if time.monotonic() - shown > 2:
                    shown = time.monotonic()
                    say(f"  checked {len(found)} of {len(expected)} files")
        except (tarfile.TarError, EOFError, OSError, ValueError, KeyError, TypeError) as error:
            raise BackupError(f"the archive is corrupt or truncated: {error}") from None
    missing = set(expected) - found
    if missing:
        raise BackupError(
            f"the archive is incomplete: {len(missing)} files of its manifest are missing"
        )
    return manifest


def _member_bytes(archive_path: Path, name: str) -> bytes:
    with _open(archive_path) as archive:
        return archive.extractfile(name).read()  # type: ignore[union-attr]


def open_keys(
    archive_path: Path, manifest: dict[str, Any], passphrase: bytes | None, keys_from: Path | None
) -> KeyBundle:
    keys = manifest["keys"]
    if keys["mode"] == "sealed":
        if passphrase is None:
            raise BackupError(
                "this archive's keys are sealed with a passphrase: give --passphrase-file"
            )
        return unseal(_member_bytes(archive_path, SEALED_KEYS), passphrase, manifest["id"])
    if keys_from is None:
        raise BackupError(
            f"this archive's keys were kept apart (file {manifest['id']}.keys.json): "
            "give --keys-from"
        )
    raw = read_apart(keys_from, manifest["id"])
    if hashlib.sha256(raw).hexdigest() != keys["sha256"]:
        raise BackupError("this keys file belongs to another backup (or was altered)")
    return KeyBundle.from_json(raw)


def _check_environment(bundle: KeyBundle) -> list[str]:
    """Refuses keys the environment would override; returns warnings for the operator."""
    configured = [k.strip() for k in environment_text("SHARING_KEYS", "").split(",") if k.strip()]
    if configured and not set(bundle.sharing_keys) <= set(configured):
        raise BackupError(
            "SHARING_KEYS is set in this environment without the backed-up keys, so the "
            "restored social accounts' tokens could not be decrypted: unset it (the restored "
            "sharing_keys file is then used) or set it to the keys of the backed-up instance"
        )
    configured_secret = environment_text("SECRET_KEY", "")
    if configured_secret and configured_secret != bundle.secret_key:
        return [
            "SECRET_KEY is set in this environment and differs from the backed-up one: "
            "people will have to sign in again and links already mailed stop working"
        ]
    return []


def _unexpected_entries(instance: Instance) -> list[str]:
    """What in the data folder shows it is in use (anything a first start does not create)."""
    database_file = (
        Path(instance.database["NAME"])
        if backup_database.kind(instance.database) == backup_database.SQLITE
        else None
    )
    found: list[str] = []
    if not instance.data_dir.exists():
        return found
    for entry in sorted(instance.data_dir.iterdir()):
        if entry.name in GENERATED_ON_START or entry.name in REBUILT_FOLDERS:
            continue
        if database_file and entry.name in {database_file.name + s for s in ("", "-wal", "-shm")}:
            continue  # the database's emptiness is checked on its own
        if entry.is_dir() and not any(p.is_file() for p in entry.rglob("*")):
            continue
        found.append(entry.name)
    for folder in (instance.media_root, instance.clicks_dir):
        if folder.is_dir() and any(p.is_file() for p in folder.rglob("*")):
            found.append(str(folder))
    return sorted(set(found))


def check_empty(instance: Instance) -> None:
    tables = backup_database.table_count(instance.database)
    if tables:
        raise BackupError(
            f"the target database {instance.database.get('NAME')} is not empty ({tables} tables): "
            "restore only into an empty database"
        )
    found = _unexpected_entries(instance)
    if found:
        raise BackupError(
            f"the data folder {instance.data_dir} is not empty ({', '.join(found[:5])}): "
            "restore only into an empty data folder"
        )


def _write_private(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    beside = path.with_name(f".{path.name}.restoring")
    fd = os.open(beside, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(content)
    os.replace(beside, path)


def _move_folder(staged: Path, target: Path) -> None:
    if not staged.is_dir():
        return
    if target.is_dir():
        shutil.rmtree(target)  # holds no file: checked by check_empty
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(staged, target)  # a rename, or a copy when the target is on other storage


@dataclass(frozen=True)
class Restored:
    files: int
    backed_up_version: str
    warnings: list[str]


def restore(
    instance: Instance,
    archive_path: Path,
    say: Say,
    *,
    passphrase: bytes | None = None,
    keys_from: Path | None = None,
) -> Restored:
    started = time.monotonic()
    say(f"Checking {archive_path}")
    manifest = verify(archive_path, say)
    backed_up = manifest["database"]["kind"]
    if backed_up != backup_database.kind(instance.database):
        raise BackupError(
            f"this archive holds a {backed_up} database but DATABASE_URL names a "
            f"{backup_database.kind(instance.database)} one: restore into the same kind"
        )
    bundle = open_keys(archive_path, manifest, passphrase, keys_from)
    warnings = _check_environment(bundle)
    check_empty(instance)
    instance.data_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=instance.data_dir))
    try:
        say("Extracting")
        verify(archive_path, say, staging=staging)
        staged_database = staging / manifest["database"]["member"]
        backup_database.check_copy(instance.database, staged_database)
        backup_database.load(instance.database, staged_database, say)
        _move_folder(staging / "media", instance.media_root)
        _move_folder(staging / "clicks", instance.clicks_dir)
        _write_private(instance.secret_key_file, bundle.secret_key)
        _write_private(instance.sharing_keys_file, ",".join(bundle.sharing_keys))
        if bundle.vapid_private_key:
            _write_private(instance.vapid_file, bundle.vapid_private_key)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    files = len(manifest["members"])
    say(f"Restored {files} files in {time.monotonic() - started:.1f} s")
    return Restored(files=files, backed_up_version=manifest["ambassade_version"], warnings=warnings)
