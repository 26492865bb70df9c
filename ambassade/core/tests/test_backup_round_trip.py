"""`ambassade backup` then `ambassade restore` give back every row, file and token.

The instance backed up is the test database itself (copied into a data folder of its own
for SQLite, into the scratch database ambassade_backup_src for PostgreSQL), with media,
pending clicks and key files beside it. Backup, restore and the inventory of the restored
instance each run in their own process, as an operator runs them: Django reads DATA_DIR
and DATABASE_URL once per process.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import connection

import ambassade
from ambassade.conftest import need_service
from ambassade.core.tests.instance_inventory import inventory
from ambassade.sharing.models import SocialAccount
from ambassade.sharing.networks.base import Credentials
from ambassade.testing.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.usefixtures("transactional_db")
PASSPHRASE = "a long enough passphrase\n"
# Variables of the test run that must not leak into the instance processes: each of them
# reads only what its own data folder and database hold.
_DROPPED = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SHARING_KEYS", "VAPID_PRIVATE_KEY_FILE")


def _make_data() -> None:
    organisation: Any = OrganisationFactory(name="Verdier")
    people: list[Any] = [PersonFactory(organisation=organisation) for _ in range(3)]
    for number, person in enumerate(people[:2]):
        account = SocialAccount(
            organisation=organisation,
            person=person,
            network="bluesky",
            remote_id=f"did:plc:{number}",
            handle=f"person{number}.example",
        )
        account.store(Credentials(secrets={"access_token": f"token-{number}", "refresh": "r"}))
        account.save()


def _files(data_dir: Path) -> dict[str, str]:
    return {
        path.relative_to(data_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data_dir.rglob("*"))
        if path.is_file() and path.relative_to(data_dir).parts[0] in {"media", "clicks"}
    }


def _data_folder(folder: Path) -> None:
    """Media, a pending click and the key files this test process runs with."""
    (folder / "media" / "items" / "2026").mkdir(parents=True)
    (folder / "media" / "items" / "2026" / "photo été.jpg").write_bytes(os.urandom(300_000))
    (folder / "media" / "reports").mkdir()
    (folder / "media" / "reports" / "screenshot.png").write_bytes(os.urandom(2_000))
    (folder / "clicks").mkdir()
    (folder / "clicks" / "20261202T1350-web1-10-ab12.jsonl").write_text('{"code": "abc"}\n')
    (folder / "secret_key").write_text(settings.SECRET_KEY)
    (folder / "sharing_keys").write_text(",".join(settings.SHARING_KEYS))
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (folder / "vapid_private_key.pem").write_bytes(pem)


def _ambassade(data_dir: Path, database_url: str | None, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in _DROPPED}
    env.update(DATA_DIR=str(data_dir), CLICK_BUFFER="spool", TASK_BACKEND="database")
    # The processes import this very checkout of the package, whatever is installed.
    env["PYTHONPATH"] = str(Path(ambassade.__file__).resolve().parents[1])
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _round_trip(
    tmp_path: Path, before: dict, source_url: str | None, target_url: str | None
) -> None:
    source, target, out = tmp_path / "source", tmp_path / "target", tmp_path / "out"
    out.mkdir()
    passphrase = tmp_path / "passphrase"
    passphrase.write_text(PASSPHRASE)
    cli = ("-m", "ambassade.cli")

    made = _ambassade(
        source, source_url, *cli, "backup", f"--output={out}", f"--passphrase-file={passphrase}"
    )
    assert made.returncode == 0, made.stderr
    assert "database:" in made.stdout and "media: 2 files" in made.stdout
    (archive,) = out.glob("ambassade-backup-*.tar")
    content = archive.read_bytes()
    assert settings.SHARING_KEYS[0].encode() not in content  # sealed, never in clear
    assert settings.SECRET_KEY.encode() not in content
    restored = _ambassade(
        target, target_url, *cli, "restore", str(archive), f"--passphrase-file={passphrase}"
    )
    assert restored.returncode == 0, restored.stderr

    listed = _ambassade(target, target_url, "-m", "ambassade.core.tests.instance_inventory")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout.strip().splitlines()[-1]) == json.loads(json.dumps(before))
    assert _files(target) == _files(source)
    for name in ("secret_key", "sharing_keys", "vapid_private_key.pem"):
        assert (target / name).read_bytes() == (source / name).read_bytes(), name
        assert (target / name).stat().st_mode & 0o077 == 0, name

    again = _ambassade(
        target, target_url, *cli, "restore", str(archive), f"--passphrase-file={passphrase}"
    )
    assert again.returncode == 1
    assert "is not empty" in again.stderr


@pytest.fixture
def before() -> dict:
    """The data, made in the test database, and its inventory."""
    _make_data()
    found = inventory()
    assert len(found["tokens"]) == 2 and found["rows"]["people_person"] == 3
    return found


def test_round_trip_on_sqlite(tmp_path: Path, before: dict) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("this run's database is PostgreSQL: test_round_trip_on_postgresql covers it")
    source = tmp_path / "source"
    source.mkdir()
    _data_folder(source)
    connection.ensure_connection()
    copy = sqlite3.connect(source / "ambassade.sqlite3")
    connection.connection.backup(copy)  # the in-memory test database, as a file
    copy.close()
    _round_trip(tmp_path, before, None, None)


@pytest.mark.postgres
def test_round_trip_on_postgresql(tmp_path: Path, before: dict) -> None:
    need_service(
        shutil.which("pg_dump") is not None, "pg_dump is not installed (postgresql-client)"
    )
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    names = [f"ambassade_backup_{part}{'_' + worker if worker else ''}" for part in ("src", "dst")]
    test_database = connection.settings_dict["NAME"]
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    admin = psycopg.connect(f"{base}/postgres", autocommit=True)
    try:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        # A copy of the test database by pg_dump, not as a template: a template must have
        # no other session, and a thread of an earlier test may still hold one.
        dump = tmp_path / "test-database.dump"
        for command in (
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={dump}",
                f"{base}/{test_database}",
            ],
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={base}/{names[0]}",
                str(dump),
            ],
        ):
            copied = subprocess.run(
                command, capture_output=True, text=True, check=False, timeout=300
            )
            assert copied.returncode == 0, copied.stderr
        source = tmp_path / "source"
        source.mkdir()
        _data_folder(source)
        _round_trip(tmp_path, before, f"{base}/{names[0]}", f"{base}/{names[1]}")
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
