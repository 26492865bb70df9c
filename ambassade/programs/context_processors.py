"""The banner of the ambassador space: charters to re-accept, types to confirm."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def attention(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    person = actor.person if actor is not None else None
    if person is None:
        return {"programs_attention": []}

    def load() -> list[Any]:
        from ambassade.programs.selectors import needing_attention

        return needing_attention(person)

    # Lazy: only the pages that show the banner (the ambassador space) run the query.
    return {"programs_attention": SimpleLazyObject(load)}
