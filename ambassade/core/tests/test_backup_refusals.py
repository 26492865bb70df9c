"""What `ambassade restore` refuses, and that a refusal leaves the target untouched.

The instances here are folders with a small SQLite database made with sqlite3 itself,
named explicitly (core/backup.py Instance): no Django database is involved.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
import tarfile
from pathlib import Path

import pytest

from ambassade.conftest import need_service
from ambassade.core import backup_database
from ambassade.core.backup import Instance, backup
from ambassade.core.backup_keys import BackupError, KeyBundle
from ambassade.core.restore import restore

PASSPHRASE = b"a long enough passphrase"
BUNDLE = KeyBundle(
    secret_key="s" * 60,
    sharing_keys=["Yy0rM2lWb0Fz3Vw7JwV0mF3O8XqN2cZ1pQ3rS4tU5vA="],
    vapid_private_key="",
)
lines: list[str] = []


def _instance(folder: Path) -> Instance:
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(folder / "ambassade.sqlite3")}
    return Instance(
        data_dir=folder,
        database=database,
        media_root=folder / "media",
        clicks_dir=folder / "clicks",
        vapid_file=folder / "vapid_private_key.pem",
    )


def _source(tmp_path: Path) -> Instance:
    instance = _instance(tmp_path / "source")
    (instance.media_root / "items").mkdir(parents=True)
    (instance.media_root / "items" / "a.jpg").write_bytes(b"\xff\xd8" + b"x" * 5000)
    connection = sqlite3.connect(instance.database["NAME"])
    connection.execute("CREATE TABLE person (name TEXT)")
    connection.executemany("INSERT INTO person VALUES (?)", [("Ada",), ("Blaise",)])
    connection.commit()
    connection.close()
    return instance


def _archive(tmp_path: Path, **keys: Path | bytes) -> Path:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    written = backup(_source(tmp_path), out, lines.append, bundle=BUNDLE, **keys)
    return written.archive


def _untouched(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def test_a_wrong_passphrase_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    archive = _archive(tmp_path, passphrase=PASSPHRASE)
    target = _instance(tmp_path / "target")
    with pytest.raises(BackupError, match="wrong passphrase"):
        restore(target, archive, lines.append, passphrase=b"another long passphrase")
    assert _untouched(target.data_dir)
    with pytest.raises(BackupError, match="sealed with a passphrase"):
        restore(target, archive, lines.append, keys_from=tmp_path)


def test_a_corrupt_or_truncated_archive_is_refused(tmp_path: Path) -> None:
    archive = _archive(tmp_path, passphrase=PASSPHRASE)
    data = bytearray(archive.read_bytes())
    at = data.index(b"x" * 5000)  # inside the media file's content
    data[at + 100] ^= 0x01
    corrupt = tmp_path / "corrupt.tar"
    corrupt.write_bytes(bytes(data))
    target = _instance(tmp_path / "target")
    with pytest.raises(BackupError, match=r"corrupt: media/items/a\.jpg does not match"):
        restore(target, corrupt, lines.append, passphrase=PASSPHRASE)
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[:3000])
    with pytest.raises(BackupError, match=r"corrupt or truncated|no manifest"):
        restore(target, truncated, lines.append, passphrase=PASSPHRASE)
    with pytest.raises(BackupError, match="does not exist"):
        restore(target, tmp_path / "missing.tar", lines.append, passphrase=PASSPHRASE)
    assert _untouched(target.data_dir)


def test_a_member_outside_the_manifest_or_the_folder_is_refused(tmp_path: Path) -> None:
    archive = _archive(tmp_path, passphrase=PASSPHRASE)
    with tarfile.open(archive, "a") as appended:
        info = tarfile.TarInfo("../escape.txt")
        info.size = 2
        appended.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(BackupError, match="unsafe name"):
        restore(_instance(tmp_path / "target"), archive, lines.append, passphrase=PASSPHRASE)
    assert not (tmp_path / "escape.txt").exists()


def test_a_non_empty_target_is_refused(tmp_path: Path) -> None:
    archive = _archive(tmp_path, passphrase=PASSPHRASE)
    target = _instance(tmp_path / "target")
    target.data_dir.mkdir()
    connection = sqlite3.connect(target.database["NAME"])
    connection.execute("CREATE TABLE kept (x)")
    connection.close()
    with pytest.raises(BackupError, match=r"database .* is not empty \(1 tables\)"):
        restore(target, archive, lines.append, passphrase=PASSPHRASE)
    assert backup_database.sqlite_tables(Path(target.database["NAME"])) == 1

    other = _instance(tmp_path / "other")
    (other.media_root / "old").mkdir(parents=True)
    (other.media_root / "old" / "photo.jpg").write_bytes(b"old")
    (other.data_dir / "secret_key").write_text("generated at the first start")
    with pytest.raises(BackupError, match=r"data folder .* is not empty"):
        restore(other, archive, lines.append, passphrase=PASSPHRASE)
    assert (other.media_root / "old" / "photo.jpg").read_bytes() == b"old"
    assert not list(other.data_dir.glob(".restore-*"))


def test_keys_kept_apart_restore_only_with_their_own_file(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    archive = _archive(tmp_path, keys_apart=keys)
    (keys_file,) = keys.iterdir()
    assert keys_file.stat().st_mode & 0o077 == 0
    assert BUNDLE.sharing_keys[0].encode() not in archive.read_bytes()
    target = _instance(tmp_path / "target")
    with pytest.raises(BackupError, match="give --keys-from"):
        restore(target, archive, lines.append, passphrase=PASSPHRASE)
    other = tmp_path / "other.keys.json"
    other.write_text(keys_file.read_text().replace("s" * 60, "t" * 60))
    with pytest.raises(BackupError, match="belongs to another backup"):
        restore(target, archive, lines.append, keys_from=other)
    assert _untouched(target.data_dir)

    # A data folder as a first start leaves it (generated keys, no data) is empty enough.
    target.data_dir.mkdir()
    (target.data_dir / "secret_key").write_text("generated at the first start")
    restore(target, archive, lines.append, keys_from=keys)
    assert (target.data_dir / "secret_key").read_text() == BUNDLE.secret_key
    assert (target.data_dir / "sharing_keys").read_text() == BUNDLE.sharing_keys[0]
    assert (target.media_root / "items" / "a.jpg").read_bytes()[:2] == b"\xff\xd8"
    copy = sqlite3.connect(target.database["NAME"])
    assert copy.execute("SELECT name FROM person ORDER BY name").fetchall() == [
        ("Ada",),
        ("Blaise",),
    ]
    copy.close()
    assert not list(target.data_dir.glob(".restore-*"))


def test_sharing_keys_in_the_environment_must_hold_the_backed_up_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = _archive(tmp_path, passphrase=PASSPHRASE)
    monkeypatch.setenv("SHARING_KEYS", "Zz1rM2lWb0Fz3Vw7JwV0mF3O8XqN2cZ1pQ3rS4tU5vA=")
    target = _instance(tmp_path / "target")
    with pytest.raises(BackupError, match="SHARING_KEYS is set in this environment"):
        restore(target, archive, lines.append, passphrase=PASSPHRASE)
    assert _untouched(target.data_dir)


def test_a_missing_pg_dump_and_a_short_passphrase_are_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup_database.shutil, "which", lambda name: None)
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "ambassade"}
    with pytest.raises(BackupError, match=r"pg_dump is not installed.*postgresql-client"):
        backup_database.dump(postgres, tmp_path / "dump", lines.append)
    from ambassade.core.backup_keys import read_passphrase

    short = tmp_path / "short"
    short.write_text("too short\n")
    with pytest.raises(BackupError, match="shorter than 12"):
        read_passphrase(short)


def test_an_existing_archive_is_never_overwritten(tmp_path: Path) -> None:
    archive = _archive(tmp_path, passphrase=PASSPHRASE)
    before = archive.read_bytes()
    with pytest.raises(BackupError, match="already exists"):
        backup(
            _instance(tmp_path / "source"),
            archive,
            lines.append,
            passphrase=PASSPHRASE,
            bundle=BUNDLE,
        )
    assert archive.read_bytes() == before
    assert not list(archive.parent.glob("*.partial"))


@pytest.mark.postgres
def test_a_postgresql_database_that_does_not_exist_is_explained(tmp_path: Path) -> None:
    from django.db import connection

    need_service(
        shutil.which("pg_dump") is not None, "pg_dump is not installed (postgresql-client)"
    )
    absent = {**connection.settings_dict, "NAME": "ambassade_backup_absent"}
    with pytest.raises(BackupError, match=r"pg_dump failed \(exit 1\).*ambassade_backup_absent"):
        backup_database.dump(absent, tmp_path / "dump", lines.append)
    with pytest.raises(BackupError, match=r"cannot reach .* \(create it empty first"):
        backup_database.table_count(absent)
