"""Settings come only from the environment, and a bad value stops with one clear line."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from ambassade.core import config


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch):
    return monkeypatch


def test_a_non_numeric_port_names_the_variable(env: pytest.MonkeyPatch) -> None:
    env.setenv("PORT", "eighty")
    with pytest.raises(config.ConfigError, match="PORT='eighty' is not a whole number"):
        config.integer("PORT", 8000)


def test_a_port_out_of_range_is_refused(env: pytest.MonkeyPatch) -> None:
    env.setenv("PORT", "70000")
    with pytest.raises(config.ConfigError, match="PORT=70000 is above the maximum 65535"):
        config.integer("PORT", 8000, minimum=1, maximum=65535)


def test_booleans_accept_only_clear_words(env: pytest.MonkeyPatch) -> None:
    env.setenv("DEBUG", "yes")
    assert config.boolean("DEBUG", False) is True
    env.setenv("DEBUG", "maybe")
    with pytest.raises(config.ConfigError, match="DEBUG='maybe' is not a boolean"):
        config.boolean("DEBUG", False)


def test_outbound_allowed_hosts_name_each_host_with_its_port(env: pytest.MonkeyPatch) -> None:
    env.setenv("OUTBOUND_ALLOWED_HOSTS", "Intranet.Example.com:8080, [fd00::12]:443")
    entries = config.host_port_list("OUTBOUND_ALLOWED_HOSTS")
    assert [config.parse_host_port(entry) for entry in entries] == [
        ("intranet.example.com", 8080),
        ("fd00::12", 443),
    ]
    for bad in ("intranet.example.com", "wiki:http", "a:1/path", "[::1]", ":80"):
        env.setenv("OUTBOUND_ALLOWED_HOSTS", f"ok.example:443,{bad}")
        with pytest.raises(config.ConfigError, match=r"OUTBOUND_ALLOWED_HOSTS: .* host and port"):
            config.host_port_list("OUTBOUND_ALLOWED_HOSTS")


def test_database_url_must_be_sqlite_or_postgres(env: pytest.MonkeyPatch) -> None:
    env.setenv("DATABASE_URL", "mysql://root@localhost/db")
    with pytest.raises(
        config.ConfigError, match="DATABASE_URL must start with sqlite:/// or postgres://"
    ):
        config.database("DATABASE_URL", "sqlite:///x")
    env.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    assert (
        config.database("DATABASE_URL", "sqlite:///x")["ENGINE"] == "django.db.backends.postgresql"
    )


def test_email_url_forms(env: pytest.MonkeyPatch) -> None:
    assert (
        config.email("EMAIL_URL", "outbox")["EMAIL_BACKEND"] == "ambassade.core.mail.OutboxBackend"
    )
    env.setenv("EMAIL_URL", "smtp+tls://bob:s%40cret@mail.example.com:587")
    smtp = config.email("EMAIL_URL", "outbox")
    assert smtp["EMAIL_HOST"] == "mail.example.com"
    assert smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_PASSWORD"] == "s@cret"
    assert smtp["EMAIL_USE_TLS"] is True
    env.setenv("EMAIL_URL", "pigeon://coop")
    with pytest.raises(config.ConfigError, match="EMAIL_URL="):
        config.email("EMAIL_URL", "outbox")


def test_short_secret_keys_are_refused(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("SECRET_KEY", "short")
    with pytest.raises(config.ConfigError, match="SECRET_KEY is too weak"):
        config.secret_key("SECRET_KEY", tmp_path)


def test_a_generated_secret_key_is_kept_private_and_reused(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env.delenv("SECRET_KEY", raising=False)
    first = config.secret_key("SECRET_KEY", tmp_path / "data")
    assert config.secret_key("SECRET_KEY", tmp_path / "data") == first
    assert len(first) >= 50
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o777 == 0o600


def _ambassade(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    skip = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set by the browser tests
    env = {key: value for key, value in os.environ.items() if key not in skip}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "ambassade.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_command_stops_with_one_line_naming_the_bad_variable(tmp_path: Path) -> None:
    result = _ambassade("manage", "check", PORT="abc", DATA_DIR=str(tmp_path))
    assert result.returncode == 2
    assert (
        result.stderr.strip() == "ambassade: configuration error: PORT='abc' is not a whole number"
    )


def test_redis_task_backend_without_redis_url_is_refused(tmp_path: Path) -> None:
    result = _ambassade(
        "manage", "check", TASK_BACKEND="redis", REDIS_URL="", DATA_DIR=str(tmp_path)
    )
    assert result.returncode == 2
    assert "TASK_BACKEND=redis needs REDIS_URL" in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = _ambassade(
        "manage",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DATA_DIR=str(tmp_path),
        BASE_URL="https://ambassade.example.com",
        SECRET_KEY=secrets.token_urlsafe(60),
        DEBUG="false",
        ALLOWED_HOSTS="ambassade.example.com",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("127.0.0.1", 9000, "http://127.0.0.1:9000"),
        ("demo.example.com", 9000, "http://demo.example.com:9000"),
        ("0.0.0.0", 9000, "http://127.0.0.1:9000"),  # noqa: S104 (listening everywhere)
        ("::", 9000, "http://127.0.0.1:9000"),
        ("::1", 9000, "http://[::1]:9000"),
    ],
)
def test_without_base_url_links_follow_host_and_port(
    env: pytest.MonkeyPatch, host: str, port: int, expected: str
) -> None:
    env.delenv("BASE_URL", raising=False)
    assert config.base_url("BASE_URL", host, port) == expected


def test_base_url_wins_over_host_and_port(env: pytest.MonkeyPatch) -> None:
    env.setenv("BASE_URL", "https://ambassade.example.com/")
    assert config.base_url("BASE_URL", "0.0.0.0", 9000) == "https://ambassade.example.com"  # noqa: S104


# Run inside `ambassade manage shell`: every kind of absolute link the app builds.
_LINKS = """
from django.conf import settings
from ambassade.core.models import Organisation
from ambassade.people.notifications import absolute
from ambassade.programs.tasks import _link
from ambassade.tracking.actions import short_url
from ambassade.tracking.models import TrackedLink, TrackingSettings
print(settings.BASE_URL)
print(absolute("accounts:login"))
print(_link("/welcome/abc/"))
print(short_url(TrackedLink(code="AbCd1234", organisation=Organisation()), TrackingSettings()))
"""


def test_port_alone_moves_every_link_the_app_builds(tmp_path: Path) -> None:
    result = _ambassade(
        "manage", "shell", "--no-imports", "-c", _LINKS,
        PORT="9000", BASE_URL="", DATA_DIR=str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "http://127.0.0.1:9000",
        "http://127.0.0.1:9000/accounts/login/",
        "http://127.0.0.1:9000/welcome/abc/",
        "http://127.0.0.1:9000/r/AbCd1234",
    ]


def _database_options(tmp_path: Path, **extra_env: str) -> dict:
    printed = _ambassade(
        "manage",
        "shell",
        "-c",
        "import json; from django.conf import settings; "
        "d = settings.DATABASES['default']; "
        "print(json.dumps({'options': d.get('OPTIONS', {}), 'age': d.get('CONN_MAX_AGE')}))",
        DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://ambassade@127.0.0.1:5432/ambassade",  # never connected to
        AMBASSADE_TESTING="false",
        **extra_env,
    )
    assert printed.returncode == 0, printed.stderr
    return dict(json.loads(printed.stdout.strip().splitlines()[-1]))


def test_postgresql_connections_come_from_a_pool_in_each_process(tmp_path: Path) -> None:
    """Under the ASGI server a page runs in a thread of its own: a connection kept open
    after it (CONN_MAX_AGE) would be left behind, so a pool is what production uses."""
    found = _database_options(tmp_path)
    assert found["options"]["pool"] == {"min_size": 1, "max_size": 10, "timeout": 10}
    assert found["age"] == 0
    assert _database_options(tmp_path, DATABASE_POOL_SIZE="4")["options"]["pool"]["max_size"] == 4
    without = _database_options(tmp_path, DATABASE_POOL_SIZE="0", DATABASE_CONN_MAX_AGE="30")
    assert "pool" not in without["options"] and without["age"] == 30
