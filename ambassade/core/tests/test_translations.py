"""Every translation catalogue is complete, not fuzzy, and keeps the placeholders of its msgids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

import ambassade

LOCALE_DIR = Path(ambassade.__file__).resolve().parent / "locale"
PO_FILES = sorted(LOCALE_DIR.glob("**/*.po"))

# "%%" is matched first so that an escaped percent sign is never taken for a placeholder.
PYTHON_PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[sd]")
TEMPLATE_VARIABLE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


def _catalogue(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _messages(path: Path) -> list[Message]:
    return [message for message in _catalogue(path) if message.id]


def _singular(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else message.id


def _forms(message: Message) -> list[str]:
    """The translations of a message: one string, or every plural form."""
    if isinstance(message.string, tuple | list):
        return list(message.string)
    return [message.string or ""]


def _placeholders(text: str) -> set[str]:
    found = {match for match in PYTHON_PLACEHOLDER.findall(text) if match != "%%"}
    found |= {f"{{{{ {name} }}}}" for name in TEMPLATE_VARIABLE.findall(text)}
    return found


def _missing_placeholders(message: Message) -> set[str]:
    """Placeholders of the msgid (msgid_plural for the plural forms) absent from a translation."""
    ids = list(message.id) if isinstance(message.id, tuple | list) else [message.id]
    missing: set[str] = set()
    for index, form in enumerate(_forms(message)):
        source = ids[min(index, len(ids) - 1)]
        if form:
            missing |= _placeholders(source) - _placeholders(form)
    return missing


def _report(problems: list[str]) -> str:
    return "\n".join(f"  - {problem}" for problem in problems)


def test_there_are_catalogues_to_check() -> None:
    assert PO_FILES, f"no .po file under {LOCALE_DIR}"


@pytest.mark.parametrize("path", PO_FILES, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_every_message_is_translated(path: Path) -> None:
    untranslated = [
        repr(_singular(message))
        for message in _messages(path)
        if not all(form.strip() for form in _forms(message))
    ]
    assert not untranslated, f"{path}: untranslated messages:\n{_report(untranslated)}"


@pytest.mark.parametrize("path", PO_FILES, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_no_message_is_fuzzy(path: Path) -> None:
    catalogue = _catalogue(path)
    fuzzy = [repr(_singular(message)) for message in catalogue if message.id and message.fuzzy]
    if catalogue.fuzzy:
        fuzzy.insert(0, "the header")
    assert not fuzzy, f"{path}: fuzzy messages:\n{_report(fuzzy)}"


@pytest.mark.parametrize("path", PO_FILES, ids=lambda path: str(path.relative_to(LOCALE_DIR)))
def test_translations_keep_the_placeholders(path: Path) -> None:
    broken = [
        f"{_singular(message)!r} lacks {', '.join(sorted(missing))}"
        for message in _messages(path)
        if (missing := _missing_placeholders(message))
    ]
    assert not broken, f"{path}: placeholders lost in translation:\n{_report(broken)}"
