"""Programs in the console's global search (core/search.py)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ambassade.core import search
from ambassade.core.authz import Actor
from ambassade.programs.models import Program


def _find(actor: Actor, query: str) -> QuerySet[Program]:
    return (
        Program.objects.filter(organisation=actor.organisation)
        .filter(Q(name__icontains=query) | Q(description__icontains=query))
        .order_by("name", "id")
    )


def _hit(program: object) -> search.Hit:
    assert isinstance(program, Program)
    return search.Hit(
        program.name, reverse("programs:detail", args=[program.pk]), program.get_status_display()
    )


def register() -> None:
    search.register(
        search.Kind(
            key="programs",
            label=_("Programs"),
            permission="programs.view",
            find=_find,
            as_hit=_hit,
            list_url=lambda query: reverse("programs:list"),
        )
    )
