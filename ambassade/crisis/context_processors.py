"""The crisis banner, on every ambassador page (and the console's)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def crisis(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"current_crisis": None}
    organisation_id = actor.organisation.pk

    def load() -> Any:
        from ambassade.crisis.selectors import current

        return current(organisation_id) or False

    # Lazy: only the pages that show the banner run the query.
    return {"current_crisis": SimpleLazyObject(load)}
