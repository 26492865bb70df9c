"""The reads of the rewards pages and API: the catalogue, a person's requests, the queue."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from ambassade.people.models import Person
from ambassade.recognition.models import Reward, RewardRequest


def catalogue(person: Person) -> QuerySet[Reward]:
    """The rewards offered in the person's organisation; the page says which are out of
    the person's reach and why."""
    return Reward.objects.filter(organisation_id=person.organisation_id, active=True)


def requests_of(person: Person) -> QuerySet[RewardRequest]:
    return RewardRequest.objects.filter(person=person).select_related("reward")


def queue(organisation_id: int, statuses: Iterable[str]) -> QuerySet[RewardRequest]:
    """The organisation's requests in these statuses, oldest first: first come, first sent."""
    return (
        RewardRequest.objects.filter(organisation_id=organisation_id, status__in=list(statuses))
        .select_related("reward", "person")
        .order_by("requested_at", "id")
    )
