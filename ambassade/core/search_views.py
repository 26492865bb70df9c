"""The results page of the console's search box."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ambassade.core import search
from ambassade.core.authz import require


@require("console.view")
def search_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    query = request.GET.get("q", "").strip()[: search.MAX_LENGTH]
    groups = search.search(actor, query)
    return render(
        request,
        "core/search.html",
        {
            "query": query,
            "groups": groups,
            "too_short": 0 < len(query) < search.MIN_LENGTH,
            "min_length": search.MIN_LENGTH,
        },
    )
