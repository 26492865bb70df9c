"""The organisation's guidelines ("éléments de langage") applied to a message.

Banned and confidential terms block, with the reason; preferred terms are suggested;
a disclosure the organisation requires on a network is added when missing. Matching
ignores case and accents and respects word boundaries, in French and English: "Projet
Hélios" matches "projet helios" and "PROJET HÉLIOS", but "vente" does not match "ventes"
or "éventail".

Pure functions, so the same checker serves the content studio, the composer (as you
type, through the API) and the publishing task (a last check before posting).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class TermKind(StrEnum):
    PREFERRED = "preferred"  # a wording to suggest instead of another
    BANNED = "banned"  # never in a post
    CONFIDENTIAL = "confidential"  # project code names, unpublished figures


@dataclass(frozen=True)
class Term:
    kind: TermKind
    text: str
    reason: str = ""
    suggestion: str = ""  # for preferred terms: the wording to use


@dataclass(frozen=True)
class Finding:
    kind: TermKind
    term: str
    start: int  # offsets in the original message, for highlighting
    end: int
    matched: str
    reason: str
    suggestion: str

    @property
    def blocking(self) -> bool:
        return self.kind in {TermKind.BANNED, TermKind.CONFIDENTIAL}


@dataclass
class CheckResult:
    text: str  # the message, with the required disclosure added if it was missing
    findings: list[Finding] = field(default_factory=list)
    disclosure_added: str = ""

    @property
    def blocked(self) -> bool:
        return any(finding.blocking for finding in self.findings)

    @property
    def blocking(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.blocking]

    @property
    def suggestions(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.blocking]


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-"})


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.translate(_APOSTROPHES).translate(_DASHES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def fold(text: str) -> tuple[str, list[int]]:
    """Case- and accent-folded text, and for each folded character its original index."""
    folded: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


def _pattern(term: str) -> re.Pattern[str]:
    folded, _ = fold(term.strip())
    words = [re.escape(word) for word in folded.split()]
    # Words of a multi-word term may be separated by any run of spaces or a hyphen.
    body = r"[\s\-]+".join(words)
    return re.compile(rf"(?<!\w){body}(?!\w)")


def check(message: str, terms: Iterable[Term], *, required_disclosure: str = "") -> CheckResult:
    folded, origin = fold(message)
    findings: list[Finding] = []
    for term in terms:
        if not term.text.strip():
            continue
        for match in _pattern(term.text).finditer(folded):
            start = origin[match.start()]
            end = origin[match.end() - 1] + 1
            findings.append(
                Finding(
                    kind=term.kind,
                    term=term.text,
                    start=start,
                    end=end,
                    matched=message[start:end],
                    reason=term.reason,
                    suggestion=term.suggestion,
                )
            )
    findings.sort(key=lambda finding: (finding.start, finding.kind))
    result = CheckResult(text=message, findings=findings)
    disclosure = required_disclosure.strip()
    if disclosure and not _pattern(disclosure).search(folded):
        separator = "" if not message or message.endswith(("\n", " ")) else "\n\n"
        result.text = f"{message}{separator}{disclosure}"
        result.disclosure_added = disclosure
    return result


def apply_suggestion(message: str, finding: Finding) -> str:
    """The message with one preferred-term finding replaced by its suggested wording."""
    if finding.kind != TermKind.PREFERRED or not finding.suggestion:
        return message
    return message[: finding.start] + finding.suggestion + message[finding.end :]
