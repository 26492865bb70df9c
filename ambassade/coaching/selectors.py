"""Read-only questions about coaching, asked by pages, the API and apps above (crisis)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, QuerySet
from django.utils.translation import ngettext

from ambassade.coaching.models import (
    DEFAULT_CAPACITY,
    CoachAssignment,
    CoachCapacity,
    Question,
)
from ambassade.core.roles import Role
from ambassade.people.models import EmploymentStatus, Person


def coach_of(person: Person) -> Person | None:
    """The person's coach, or None when nobody coaches them (or the coach has left)."""
    found = (
        CoachAssignment.objects.filter(organisation_id=person.organisation_id, ambassador=person)
        .exclude(coach__employment_status="left")
        .select_related("coach")
        .first()
    )
    return found.coach if found else None


def ambassadors_of(coach: Person) -> QuerySet[Person]:
    """The people this coach coaches, in their organisation."""
    return Person.objects.filter(
        organisation_id=coach.organisation_id,
        coach_assignments__coach=coach,
    ).order_by("last_name", "first_name", "id")


def active_ambassadors(organisation_id: int) -> QuerySet[Person]:
    """People who hold the ambassador role and have not left."""
    return Person.objects.filter(
        organisation_id=organisation_id,
        anonymised_at__isnull=True,
        role_assignments__role=Role.AMBASSADOR,
    ).exclude(employment_status=EmploymentStatus.LEFT)


def unassigned(organisation_id: int) -> QuerySet[Person]:
    """Ambassadors with no coach, or whose coach left or is a coach no more."""
    covered = CoachAssignment.objects.filter(
        organisation_id=organisation_id, coach__role_assignments__role=Role.COACH
    ).exclude(coach__employment_status=EmploymentStatus.LEFT)
    return (
        active_ambassadors(organisation_id)
        .exclude(pk__in=covered.values("ambassador_id"))
        .order_by("last_name", "first_name", "id")
    )


def coaches(organisation_id: int) -> QuerySet[Person]:
    """The people who may coach: the coach role, still employed."""
    return (
        Person.objects.filter(
            organisation_id=organisation_id,
            anonymised_at__isnull=True,
            role_assignments__role=Role.COACH,
        )
        .exclude(employment_status=EmploymentStatus.LEFT)
        .order_by("last_name", "first_name", "id")
    )


def capacity_of(coach: Person) -> int:
    found = CoachCapacity.objects.filter(coach=coach).values_list("capacity", flat=True).first()
    return DEFAULT_CAPACITY if found is None else found


@dataclass(frozen=True)
class CoachFigures:
    coach: Person
    capacity: int
    ambassadors: int
    open_questions: int
    answered: int
    median_first_answer: timedelta | None

    @property
    def median_words(self) -> str:
        """The median as a person says it: "45 minutes", "3 hours", "2 days"."""
        if self.median_first_answer is None:
            return ""
        return duration_words(self.median_first_answer)


def duration_words(span: timedelta) -> str:
    minutes = max(1, round(span.total_seconds() / 60))
    if minutes < 120:
        return ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    days = round(hours / 24)
    return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}


def _median(values: list[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def overview(organisation_id: int) -> list[CoachFigures]:
    """Per coach: ambassadors, capacity, open questions, median time to a first answer.
    Counts and times only: no question's text is read."""
    people = list(coaches(organisation_id))
    counts = dict(
        CoachAssignment.objects.filter(organisation_id=organisation_id)
        .values_list("coach_id")
        .annotate(n=Count("id"))
    )
    capacities = dict(
        CoachCapacity.objects.filter(organisation_id=organisation_id).values_list(
            "coach_id", "capacity"
        )
    )
    open_counts = dict(
        Question.objects.filter(
            organisation_id=organisation_id,
            status=Question.Status.OPEN,
            ambassador__coach_assignments__organisation_id=organisation_id,
        )
        .values_list("ambassador__coach_assignments__coach_id")
        .annotate(n=Count("id"))
    )
    delays: dict[int, list[timedelta]] = {}
    for coach_id, asked, answered in Question.objects.filter(
        organisation_id=organisation_id, first_answered_at__isnull=False
    ).values_list("first_answered_by_id", "asked_at", "first_answered_at"):
        if answered is not None and coach_id is not None:
            delays.setdefault(coach_id, []).append(answered - asked)
    return [
        CoachFigures(
            coach=coach,
            capacity=capacities.get(coach.pk, DEFAULT_CAPACITY),
            ambassadors=counts.get(coach.pk, 0),
            open_questions=open_counts.get(coach.pk, 0),
            answered=len(delays.get(coach.pk, [])),
            median_first_answer=_median(delays.get(coach.pk, [])),
        )
        for coach in people
    ]
