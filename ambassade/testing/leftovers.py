"""pytest plugin: a test run leaves nothing behind.

Registered by ``ambassade/conftest.py``. Two things outlive a run unless removed:

- the temporary data folder (``/tmp/ambassade-test-*``, settings.DATA_DIR when DATA_DIR
  is not set): SQLite files, the secret key, mail, click spool, media, static files;
- Redis keys (cache, task queue, click stream). Under pytest, settings.py points
  REDIS_URL at database 15 - n of the configured server (``config.redis_test_url``), so
  the configured database is never written; that test database is emptied when the run
  starts (a run that was killed may have left keys) and when it ends.

At the end of the run the folder is removed and both are checked; a leftover fails the
run with a line that names it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest


def _test_redis_url() -> str | None:
    """The Redis URL the run uses, if it is the test database derived from REDIS_URL."""
    from django.conf import settings

    from ambassade.core import config

    configured = config.redis_url("REDIS_URL")
    if not settings.TESTING or not configured or not settings.REDIS_URL:
        return None
    # Only a database derived for the tests is ever emptied, never a configured one.
    if config.redis_test_url(configured, config.test_process_number()) != settings.REDIS_URL:
        return None
    return str(settings.REDIS_URL)


def _empty_test_redis() -> int | None:
    """Empties the test database; returns its key count afterwards (None: no Redis)."""
    url = _test_redis_url()
    if url is None:
        return None
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.flushdb()
        return int(client.dbsize())
    except redis.RedisError:
        return None  # unreachable: the Redis tests say so themselves (need_service)
    finally:
        client.close()


def pytest_sessionstart(session: pytest.Session) -> None:
    _empty_test_redis()


@pytest.hookimpl(trylast=True)  # after the session fixtures (databases, live server) ended
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from django.conf import settings

    leftovers: list[str] = []
    keys = _empty_test_redis()
    if keys:
        leftovers.append(f"{keys} keys in Redis at {settings.REDIS_URL}")
    if settings.DATA_DIR_IS_TEMPORARY:
        folder = Path(settings.DATA_DIR)
        shutil.rmtree(folder, ignore_errors=True)
        if folder.exists():
            leftovers.append(f"the folder {folder}")
    if leftovers:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = "the test run left behind: " + "; ".join(leftovers)
        if reporter is not None:
            reporter.write_line(message, red=True)
        else:
            print(message, file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
