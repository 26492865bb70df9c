"""What each app knows about a person: one registry for export and for anonymisation.

An app registers, in its ``personal_data.py`` module (imported by ``collect``):

    @exporter("enrolments")
    def export_enrolments(person) -> list | dict: ...   # JSON-serialisable

    @anonymiser
    def forget_enrolments(person) -> None: ...          # inside the caller's transaction

so that a personal-data export or an erasure covers every app without a central list
that someone forgets to update.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from ambassade.people.models import Person

Exporter = Callable[["Person"], Any]
Anonymiser = Callable[["Person"], None]

EXPORTERS: dict[str, Exporter] = {}
ANONYMISERS: list[Anonymiser] = []


def exporter(section: str) -> Callable[[Exporter], Exporter]:
    def register(function: Exporter) -> Exporter:
        EXPORTERS[section] = function
        return function

    return register


def anonymiser(function: Anonymiser) -> Anonymiser:
    if function not in ANONYMISERS:
        ANONYMISERS.append(function)
    return function


def _discover() -> None:
    autodiscover_modules("personal_data")


def collect(person: Person) -> dict[str, Any]:
    """Every app's section of the person's data, keyed by section name."""
    _discover()
    return {section: export(person) for section, export in sorted(EXPORTERS.items())}


def anonymise(person: Person) -> None:
    """Runs every app's anonymiser; the caller holds the transaction and writes the audit row."""
    _discover()
    for forget in ANONYMISERS:
        forget(person)
