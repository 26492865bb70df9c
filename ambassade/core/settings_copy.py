"""Settings read on every click, copied once per process.

A read of ``django.conf.settings.NAME`` goes through LazySettings' Python-level attribute
hook, about half a microsecond; a redirect read a handful. ``copied("A", "B")`` returns a
function giving a namespace with ``a`` and ``b``, read from the settings the first time it
is called and again after any change to the settings (a test's override_settings).
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

_copies: list[dict[str, SimpleNamespace]] = []


def copied(*names: str) -> Callable[[], Any]:
    holder: dict[str, SimpleNamespace] = {}
    _copies.append(holder)

    def current() -> Any:
        found = holder.get("copy")
        if found is None:
            found = SimpleNamespace(**{name.lower(): getattr(settings, name) for name in names})
            holder["copy"] = found
        return found

    return current


def _forget(**kwargs: Any) -> None:
    for holder in _copies:
        holder.clear()


setting_changed.connect(_forget)
