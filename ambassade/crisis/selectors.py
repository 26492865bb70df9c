"""Reads of the crisis app, scoped to one organisation."""

from __future__ import annotations

from django.db.models import QuerySet

from ambassade.core.models import Organisation
from ambassade.crisis.models import Crisis, Step


def current(organisation_id: int) -> Crisis | None:
    return Crisis.objects.filter(organisation_id=organisation_id, ended_at__isnull=True).first()


def crises_of(organisation: Organisation) -> QuerySet[Crisis]:
    return Crisis.objects.filter(organisation=organisation)


def crisis_of(organisation: Organisation, crisis_id: int) -> Crisis | None:
    return crises_of(organisation).filter(pk=crisis_id).prefetch_related("exempt").first()


def timeline(crisis: Crisis) -> QuerySet[Step]:
    return Step.objects.filter(crisis=crisis).order_by("at", "pk")
