"""What the draws' pages and API read: the draws a person sees, and the draw's record
with names only for those who chose to be shown by name."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ambassade.core.authz import Actor, allowed
from ambassade.recognition.models import Draw, DrawResult, DrawStatus, Profile

PROCEDURE = gettext_lazy(
    "The entrants with a weight above zero are listed by their identifier, in increasing "
    "order. For position k (1, 2, …), r is the SHA-256 of the text “seed:k” read as a whole "
    "number, modulo the total weight of the entrants still in the list. Walking the list, "
    "the first entrant whose cumulative weight is above r wins and leaves the list. Anyone "
    "can check that the SHA-256 of the seed is the hash published before the draw opened."
)


def visible_to(actor: Actor) -> QuerySet[Draw]:
    """Drafts only for those who edit draws."""
    found = Draw.objects.filter(organisation=actor.organisation)
    if not allowed(actor, "recognition.manage"):
        found = found.exclude(status=DrawStatus.DRAFT)
    return found


@dataclass(frozen=True)
class Entrant:
    label: str
    weight: int
    position: int | None


def entrants(draw: Draw) -> list[Entrant]:
    """Every weighted entrant, in the procedure's order; named only when on the boards."""
    results = list(
        DrawResult.objects.filter(draw=draw).select_related("person").order_by("person_id")
    )
    named = set(
        Profile.objects.filter(
            person_id__in=[r.person_id for r in results], on_boards=True
        ).values_list("person_id", flat=True)
    )
    return [
        Entrant(
            str(r.person) if r.person_id in named else _("Participant #%(n)d") % {"n": n},
            r.weight,
            r.position,
        )
        for n, r in enumerate(results, start=1)
    ]


@dataclass(frozen=True)
class Winner:
    position: int
    label: str


def winners(draw: Draw) -> list[Winner]:
    """The winners in order, named as on the verification page."""
    return [
        Winner(line.position, line.label)
        for line in sorted(entrants(draw), key=lambda line: line.position or 0)
        if line.position
    ]
