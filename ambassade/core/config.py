"""Reading settings from the environment, strictly.

Every variable is read through one of these helpers so that a bad value stops the
process with a single line that names the variable (see ``ConfigError``), instead of
a traceback deep inside Django. ``.env.example`` documents each variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import environ


class ConfigError(Exception):
    """A setting from the environment is missing or malformed; the message names it."""


_env = environ.Env()


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def text(name: str, default: str) -> str:
    return _raw(name) or default


def boolean(name: str, default: bool) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use true or false)")


def integer(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name}={value} is below the minimum {minimum}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name}={value} is above the maximum {maximum}")
    return value


def choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = (_raw(name) or default).lower()
    if raw not in choices:
        raise ConfigError(f"{name}={raw!r} must be one of: {', '.join(choices)}")
    return raw


def string_list(name: str, default: list[str]) -> list[str]:
    raw = _raw(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_host_port(entry: str) -> tuple[str, int]:
    """``host:port`` (``[v6]:port`` for an IPv6 address) as (lower-case host, port)."""
    try:
        parts = urlsplit("//" + entry.strip())
        host, port = (parts.hostname or "").rstrip("."), parts.port
    except ValueError:
        host, port = "", None
    if not host or port is None or parts.path or parts.query or parts.username:
        raise ConfigError(
            f"{entry!r} is not a host and port (write intranet.example.com:8080, "
            "or [2001:db8::1]:443 for an IPv6 address)"
        )
    return host, port


def host_port_list(name: str) -> list[str]:
    """A comma-separated list of ``host:port``; each entry is checked at start-up."""
    entries = string_list(name, [])
    for entry in entries:
        try:
            parse_host_port(entry)
        except ConfigError as error:
            raise ConfigError(f"{name}: {error}") from None
    return entries


def http_url(name: str, default: str) -> str:
    raw = _raw(name) or default
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigError(f"{name}={raw!r} must be an absolute http:// or https:// URL")
    return raw.rstrip("/")


# Addresses a server listens on but a browser cannot open: links use the loopback instead.
_WILDCARD_HOSTS = {"0.0.0.0", "::", "[::]"}  # noqa: S104 (compared with, never bound)


def base_url(name: str, host: str, port: int) -> str:
    """The public address: ``name`` if set, else the one ``ambassade run`` serves on.

    Without BASE_URL, links in pages and mails and tracked links follow HOST and PORT,
    so that ``PORT=9000 make run`` prints and mails links to :9000. A wildcard HOST
    (0.0.0.0, ::) listens everywhere but is no address to open, so the links then name
    127.0.0.1; reaching the demo from another machine needs BASE_URL (and ALLOWED_HOSTS).
    """
    if host in _WILDCARD_HOSTS:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address inside a URL
    return http_url(name, f"http://{host}:{port}")


def database(name: str, default: str) -> dict:
    raw = _raw(name) or default
    scheme = urlsplit(raw).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(
            f"{name} must start with sqlite:/// or postgres:// (got scheme {scheme!r})"
        )
    try:
        parsed: dict = _env.db_url_config(raw)
    except Exception as exc:  # django-environ raises several types for malformed URLs
        raise ConfigError(f"{name} is not a valid database URL: {exc}") from None
    return parsed


def redis_url(name: str) -> str | None:
    raw = _raw(name)
    if raw is None:
        return None
    if urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise ConfigError(f"{name}={raw!r} must start with redis://, rediss:// or unix://")
    return raw


# Redis servers have 16 databases (0-15) unless configured otherwise.
_REDIS_LAST_DATABASE = 15


def redis_database(url: str) -> int:
    """The database number of a redis://host:port/N, ?db=N or unix://path?db=N URL."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    raw = parts.path.strip("/") if parts.scheme != "unix" else ""
    raw = raw or query.get("db", ["0"])[0]
    if not raw.isdigit():
        raise ConfigError(f"REDIS_URL={url!r} names no valid database number")
    return int(raw)


def test_process_number() -> int:
    """0, or k for the k-th parallel test process (pytest-xdist names them gw0, gw1…)."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0


def redis_test_url(url: str, worker: int = 0) -> str:
    """The Redis database the test suite uses instead of the configured one: 15 - n.

    Tests empty their database at the start and end of a run, so they must never share
    the configured one (CI's REDIS_URL=.../0 stays untouched: its tests use .../15). The
    mapping is its own inverse and never gives back n itself. When the suite runs in
    parallel processes (pytest-xdist), process k uses 15 - n - k, so that no process
    empties another's database; a number that would reach n or below 0 is refused.
    """
    number = redis_database(url)
    if number > _REDIS_LAST_DATABASE:
        raise ConfigError(
            f"REDIS_URL database {number}: the tests use database {_REDIS_LAST_DATABASE} - n, "
            f"so use a database between 0 and {_REDIS_LAST_DATABASE} for test runs"
        )
    test_number = _REDIS_LAST_DATABASE - number - worker
    if worker and (test_number < 0 or test_number == number):
        raise ConfigError(
            f"REDIS_URL database {number}: test process {worker} would use database "
            f"{test_number}; run fewer test processes or use a lower database number"
        )
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "db"]
    if parts.scheme == "unix":
        query.append(("db", str(test_number)))
        # urlunsplit would drop the empty host of unix:///path: keep the usual form.
        return f"unix://{parts.netloc}{parts.path}?{urlencode(query)}"
    return urlunsplit(parts._replace(path=f"/{test_number}", query=urlencode(query)))


def email(name: str, default: str) -> dict:
    """Turns EMAIL_URL into Django e-mail settings.

    ``outbox`` (the default) writes each message to ``var/mail`` so that the demo works
    without a mail server; ``smtp://user:pass@host:port`` and ``smtp+tls://`` /
    ``smtps://`` use a real server; ``console`` prints messages.
    """
    raw = _raw(name) or default
    if raw in {"outbox", "console"}:
        backend = {
            "outbox": "ambassade.core.mail.OutboxBackend",
            "console": "django.core.mail.backends.console.EmailBackend",
        }[raw]
        return {"EMAIL_BACKEND": backend}
    parts = urlsplit(raw)
    if parts.scheme not in {"smtp", "smtps", "smtp+tls"} or not parts.hostname:
        raise ConfigError(
            f"{name}={raw!r} must be 'outbox', 'console' or smtp://[user:password@]host[:port]"
        )
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"{name} has an invalid port") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
        "EMAIL_TIMEOUT": 20,
    }


def secret_key(name: str, data_dir: Path) -> str:
    """The SECRET_KEY from the environment, or one generated once and kept in the data folder."""
    raw = _raw(name)
    if raw is not None:
        if len(raw) < 50 or len(set(raw)) < 5:
            raise ConfigError(f"{name} is too weak: use at least 50 random characters")
        return raw
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    # Created with 0600 so that only the service's user can read it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
