"""Content items in the console's global search (core/search.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ambassade.content.models import ContentItem
from ambassade.core import search
from ambassade.core.authz import Actor


def _find(actor: Actor, query: str) -> QuerySet[ContentItem]:
    return (
        ContentItem.objects.filter(organisation=actor.organisation)
        .filter(Q(title__icontains=query) | Q(description__icontains=query))
        .order_by("-created_at", "-id")
    )


def _hit(item: object) -> search.Hit:
    assert isinstance(item, ContentItem)
    return search.Hit(
        item.title, reverse("content:item", args=[item.pk]), item.get_status_display()
    )


def register() -> None:
    search.register(
        search.Kind(
            key="content",
            label=_("Content"),
            permission="content.view",
            find=_find,
            as_hit=_hit,
            list_url=lambda query: reverse("content:studio") + "?" + urlencode({"q": query}),
        )
    )
