"""People in the console's global search (core/search.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ambassade.core import search
from ambassade.core.authz import Actor
from ambassade.people.models import Person


def _find(actor: Actor, query: str) -> QuerySet[Person]:
    people = Person.objects.filter(
        organisation=actor.organisation, anonymised_at__isnull=True
    ).select_related("department")
    # Every word in one of the fields: "anna ventes" finds Anna of the Ventes department.
    for word in query.split()[:5]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(job_title__icontains=word)
            | Q(department__name__icontains=word)
        )
    return people.order_by("last_name", "first_name", "id")


def _hit(person: object) -> search.Hit:
    assert isinstance(person, Person)
    detail = " · ".join(
        part
        for part in (person.job_title, person.department.name if person.department else "")
        if part
    )
    return search.Hit(person.full_name, reverse("people:person", args=[person.pk]), detail)


def register() -> None:
    search.register(
        search.Kind(
            key="people",
            label=_("People"),
            permission="people.view",
            find=_find,
            as_hit=_hit,
            list_url=lambda query: reverse("people:directory") + "?" + urlencode({"q": query}),
        )
    )
