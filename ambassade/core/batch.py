"""Periodic jobs handle each item on its own: one bad row never stops a batch.

``each(job, items, handle, record=...)`` calls ``handle(item)`` for every item. An
exception is logged once (with the job and the item's id, not re-raised, so the task
runner does not log it again), recorded on the item by ``record(item, message)`` where
the item has a place for it, and the batch goes on with the next item. Only an
unreachable database stops the batch: no other item would fare better.

Inside a transaction (a test, a caller's ``atomic``) each item runs in a savepoint, so a
database error rolls back that item only. Outside one, nothing is wrapped: handlers make
their own transactions and may call the network without holding one open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import InterfaceError, OperationalError, connection, transaction

logger = logging.getLogger(__name__)
Item = TypeVar("Item")


@dataclass
class Tally:
    done: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"done": self.done, "failed": self.failed}


def _key(item: Any) -> Any:
    return getattr(item, "pk", None) or str(item)[:200]


def each(
    job: str,
    items: Iterable[Item],
    handle: Callable[[Item], Any],
    *,
    record: Callable[[Item, str], None] | None = None,
) -> Tally:
    """Handles every item. ``done`` adds up what ``handle`` returns when it is a number
    (what it did for the item: 0 when nothing was to be done), 1 otherwise."""
    tally = Tally()
    for item in items:
        try:
            if connection.in_atomic_block:
                with transaction.atomic():
                    result = handle(item)
            else:
                result = handle(item)
        except (OperationalError, InterfaceError):
            raise  # the database itself is unavailable: no other item would fare better
        except Exception as error:
            tally.failed += 1
            logger.exception(
                "periodic job failed on one item",
                extra={"job": job, "item": _key(item), "error": type(error).__name__},
            )
            if record is not None:
                _record(job, item, record, f"{type(error).__name__}: {error}"[:500])
            continue
        tally.done += int(result) if isinstance(result, int) else 1
    return tally


def _record(job: str, item: Any, record: Callable[[Any, str], None], message: str) -> None:
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                record(item, message)
        else:
            record(item, message)
    except Exception:  # the failure is logged already; recording it must not stop the batch
        logger.warning("could not record a failure", extra={"job": job, "item": _key(item)})
