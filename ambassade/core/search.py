"""The console's global search: one box, results grouped by kind.

Each app that owns something worth finding registers a ``Kind`` when it is ready (people,
programs, content); core never imports them. A kind is shown only to a viewer allowed its
permission (core/authz.py), and its finder is scoped to the viewer's organisation. Each
kind costs two queries (its first rows and its total), whatever the number of hits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise

from ambassade.core.authz import Actor, allowed

# Rows shown per kind; the total says how many more the kind's own list holds.
LIMIT = 10
MIN_LENGTH = 2
MAX_LENGTH = 100


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    permission: str
    # The organisation's matching rows, ordered; called with the actor and the query.
    find: Callable[[Actor, str], QuerySet]
    as_hit: Callable[[object], Hit]
    # The kind's own list filtered by the query, for "see all".
    list_url: Callable[[str], str]


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.key] = kind


def search(actor: Actor, query: str) -> list[tuple[Kind, list[Hit], int, str]]:
    """(kind, first hits, total, "see all" address) for each kind the actor may see."""
    query = query.strip()[:MAX_LENGTH]
    if len(query) < MIN_LENGTH:
        return []
    found = []
    for kind in KINDS.values():
        if not allowed(actor, kind.permission):
            continue
        rows = kind.find(actor, query)
        hits = [kind.as_hit(row) for row in rows[:LIMIT]]
        total = len(hits) if len(hits) < LIMIT else rows.count()
        found.append((kind, hits, total, kind.list_url(query)))
    return found
