"""Helpers of the campaign tests: members in departments, their links, their clicks."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from ambassade.people.models import Department
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.testing.factories import PersonFactory
from ambassade.tracking import ingest
from ambassade.tracking.models import TrackedLink
from ambassade.tracking.tests.conftest import BROWSER

BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
_codes = itertools.count(1)


def today() -> date:
    return timezone.now().astimezone(UTC).date()


def department(program: Program, name: str) -> Department:
    found, _ = Department.objects.get_or_create(organisation=program.organisation, name=name)
    return found


def enrol(program: Program, person: Any, where: Department | None = None) -> Any:
    kind, _ = AmbassadorType.objects.get_or_create(
        organisation=program.organisation, kind="supporter"
    )
    Enrolment.objects.get_or_create(
        program=program,
        person=person,
        defaults={"ambassador_type": kind, "status": Enrolment.Status.ACTIVE},
    )
    if where is not None:
        person.department = where
        person.save(update_fields=["department"])
    return person


def member(program: Program, where: Department | None = None) -> Any:
    return enrol(program, PersonFactory(organisation=program.organisation), where)


def link(person: Any, item: Any) -> TrackedLink:
    return TrackedLink.objects.create(
        organisation=person.organisation,
        code=f"c{next(_codes):07d}{uuid.uuid4().hex[:6]}",
        destination="https://verdier.example/jobs",
        person=person,
        network="linkedin",
        content_item_id=item.pk,
    )


def clicks(
    tracked: TrackedLink, count: int, *, agent: str = BROWSER, day: date | None = None, **flags: Any
) -> int:
    """Stores ``count`` clicks on the link through the ingestion, as the redirect would."""
    moment = datetime.combine(day or today(), time(12), tzinfo=UTC).timestamp()
    events = [
        {
            "i": uuid.uuid4().hex,
            "k": "c",
            "t": moment + n,
            "l": tracked.pk,
            "c": tracked.code,
            "v": uuid.uuid4().hex[:32],
            "ua": agent,
            **flags,
        }
        for n in range(count)
    ]
    return ingest.store(events)


def days(start: int, end: int) -> dict[str, date]:
    return {"starts_on": today() + timedelta(start), "ends_on": today() + timedelta(end)}
