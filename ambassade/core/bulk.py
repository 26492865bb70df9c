"""Bulk actions on a list: the usual action applied to each chosen row, in one request.

Each row goes through the same action function as when done one by one (its checks, its
audit row, its events), in a savepoint of its own, so one refusal does not undo the
others; the person reads one line per outcome ("12 approved, 1 refused: …").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Row = TypeVar("Row")

# The most rows one request acts on: a list page shows at most this many.
MAX_ROWS = 200


@dataclass
class Outcome:
    done: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _reason(error: Exception) -> str:
    if isinstance(error, PermissionDenied):
        return _("you may not do this")
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error)


def apply(
    rows: Iterable[Row], action: Callable[[Row], object], name: Callable[[Row], str]
) -> Outcome:
    outcome = Outcome()
    for row in rows:
        try:
            with transaction.atomic():
                action(row)
        except (ValidationError, PermissionDenied) as error:
            outcome.refused.append((name(row), _reason(error)))
        else:
            outcome.done.append(name(row))
    return outcome


def summary(outcome: Outcome, done: Callable[[int], str]) -> str:
    """``done(n)`` words what was done ("12 approved"); refusals follow with their reasons."""
    text = done(len(outcome.done))
    if outcome.refused:
        refused = ngettext("%(count)d refused", "%(count)d refused", len(outcome.refused)) % {
            "count": len(outcome.refused)
        }
        reasons = "; ".join(f"{name} ({reason})" for name, reason in outcome.refused)
        text = _("%(done)s, %(refused)s: %(reasons)s") % {
            "done": text,
            "refused": refused,
            "reasons": reasons,
        }
    return text
