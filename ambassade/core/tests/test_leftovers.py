"""A test run leaves nothing behind: no temporary folder, no key in the configured Redis.

Each test starts a small pytest run of its own (a test that writes into the data folder
and both caches) with this project's plugins, then looks at what that run left.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ambassade.conftest import need_service
from ambassade.core import config

INNER_NUMBER = 9  # beyond the outer run's processes (TEST_PROCESSES, 2 by default)
INNER_WORKER = f"gw{INNER_NUMBER}"
INNER_TEST = """
from django.conf import settings
from django.core.cache import caches


def test_writes_everywhere():
    (settings.DATA_DIR / "mail").mkdir(parents=True, exist_ok=True)
    (settings.DATA_DIR / "mail" / "left.eml").write_text("left behind?")
    for alias in ("default", "links"):
        caches[alias].set("left-behind", 1, 600)
        assert caches[alias].get("left-behind") == 1
"""


def _inner_run(tmp_path: Path, **extra_env: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    folder = tmp_path / "inner"
    folder.mkdir()
    (folder / "test_inner.py").write_text(INNER_TEST)
    # This project's fixtures and hooks, loaded once Django is set up (not with -p).
    (folder / "conftest.py").write_text('pytest_plugins = ["ambassade.conftest"]\n')
    temp = tmp_path / "tmp"
    temp.mkdir()
    skip = ("DJANGO_SETTINGS_MODULE", "DATA_DIR", "REDIS_URL", "PYTEST_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(skip)}
    env.update(TMPDIR=str(temp), **extra_env)
    result = subprocess.run(
        [
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
            "--ds", "ambassade.settings",
            "--rootdir", str(folder), str(folder / "test_inner.py"),
        ],
        cwd=folder, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    return result, temp


def test_a_run_removes_its_temporary_data_folder(tmp_path: Path) -> None:
    result, temp = _inner_run(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert sorted(path.name for path in temp.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/15"),
        ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379/15"),
        ("redis://:secret@redis:6379/4", "redis://:secret@redis:6379/11"),
        ("rediss://redis:6380/15?ssl_cert_reqs=none", "rediss://redis:6380/0?ssl_cert_reqs=none"),
        ("redis://redis:6379?db=2", "redis://redis:6379/13"),
        ("unix:///run/redis.sock?db=3", "unix:///run/redis.sock?db=12"),
    ],
)
def test_tests_use_another_redis_database_than_the_configured_one(url, expected) -> None:
    assert config.redis_test_url(url) == expected
    assert config.redis_database(expected) != config.redis_database(url)


def test_a_configured_database_beyond_15_is_refused_for_tests() -> None:
    with pytest.raises(config.ConfigError, match="database 16"):
        config.redis_test_url("redis://127.0.0.1:6379/16")


@pytest.mark.redis
def test_a_run_with_redis_leaves_the_configured_database_untouched(tmp_path: Path) -> None:
    import redis

    configured = os.environ["REDIS_URL"]
    client = redis.Redis.from_url(configured, socket_timeout=2, socket_connect_timeout=2)
    try:
        before = set(client.scan_iter(count=1000))
    except redis.RedisError as error:
        need_service(False, f"Redis at REDIS_URL does not answer: {error}")
    # The inner run stands for a test process of its own number, so that its database is
    # no outer process's (the outer gw0 uses 15 - n, like a run without processes).
    result, temp = _inner_run(tmp_path, REDIS_URL=configured, PYTEST_XDIST_WORKER=INNER_WORKER)
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(client.scan_iter(count=1000)) == before
    test_database = redis.Redis.from_url(config.redis_test_url(configured, INNER_NUMBER))
    assert test_database.dbsize() == 0  # emptied at the end of the inner run
    assert sorted(path.name for path in temp.iterdir()) == []
    client.close()
    test_database.close()
