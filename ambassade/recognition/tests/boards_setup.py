"""Builds the people of the boards' tests: departments of active members, their points
(ledger entries written directly, each with a key of its own) and their choices."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from ambassade.people.models import Department, Person
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.recognition.models import EntryReason, LedgerEntry, Profile

_keys = itertools.count(1)


@dataclass
class Team:
    department: Department
    people: list[Person] = field(default_factory=list)


def enrol_all(program: Program, people: list[Person]) -> None:
    kind, _created = AmbassadorType.objects.get_or_create(
        organisation=program.organisation, kind="supporter"
    )
    Enrolment.objects.bulk_create(
        [Enrolment(program=program, person=person, ambassador_type=kind) for person in people]
    )


def give(person: Person, points: int, *, at: datetime | None = None, **extra: Any) -> None:
    """Points earned by the person (a share), at ``at`` (default: an hour ago)."""
    LedgerEntry.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        reason=extra.pop("reason", EntryReason.SHARE),
        points=points,
        spendable=extra.pop("spendable", points),
        key=f"test:{next(_keys)}",
        occurred_at=at or timezone.now() - timedelta(hours=1),
        **extra,
    )


def choose(person: Person, *, on_boards: bool = False, executive: bool = False) -> None:
    Profile.objects.update_or_create(
        person=person, defaults={"on_boards": on_boards, "executive": executive}
    )


def team(program: Program, name: str, size: int, points: list[int], *, opted_in: int = 0) -> Team:
    """``size`` active members of the department ``name``, the n-th earning
    ``points[n % len(points)]``; the first ``opted_in`` of them chose to appear."""
    organisation = program.organisation
    found = Team(Department.objects.create(organisation=organisation, name=name))
    for n in range(size):
        first_name = f"{name.split()[0]}{n}"
        person = Person.objects.create(
            organisation=organisation,
            department=found.department,
            first_name=first_name,
            last_name="Member",
            email=f"{first_name.lower()}.member@example.com",
        )
        found.people.append(person)
    enrol_all(program, found.people)
    for n, person in enumerate(found.people):
        amount = points[n % len(points)]
        if amount:
            give(person, amount)
        if n < opted_in:
            choose(person, on_boards=True)
    return found


def small_and_large(program: Program) -> tuple[Team, Team]:
    """A team of 5 and a team of 50 earning 30 points per person on average (the large
    one as 20 and 40 alternately): the same score, for totals of 150 and 1,500."""
    small = team(program, "Small team", 5, [30], opted_in=2)
    large = team(program, "Large team", 50, [20, 40], opted_in=3)
    return small, large
