"""Compiles the .po catalogues to .mo with Babel, so setup needs no system gettext tools."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues() -> list[Path]:
    found: list[Path] = []
    for folder in settings.LOCALE_PATHS:
        found.extend(sorted(Path(folder).glob("*/LC_MESSAGES/*.po")))
    return found


class Command(BaseCommand):
    help = "Compile every translation catalogue (.po) that changed since its .mo."
    # It reads .po files only; the system checks would import every URL and the whole API
    # first, a few seconds that `make run` and `make test` would pay on every start.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        for po_path in catalogues():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as source:
                catalogue = read_po(source)
            temporary = mo_path.with_suffix(".mo.tmp")
            with temporary.open("wb") as target:
                write_mo(target, catalogue, use_fuzzy=False)
            temporary.replace(mo_path)
            self.stdout.write(f"compiled {po_path}")
