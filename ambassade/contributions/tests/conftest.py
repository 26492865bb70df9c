"""Fixtures of the contributions tests: a program, enrolments of each kind, hand-made figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from ambassade.analytics.models import DailyShareStats
from ambassade.content.models import ContentItem, Kind, Status
from ambassade.contributions.models import Contribution
from ambassade.programs.actions import ensure_default_types
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing.models import Share


def today() -> date:
    return timezone.now().astimezone(UTC).date()


@pytest.fixture
def program(persona) -> Program:
    ensure_default_types(persona.organisation)
    return Program.objects.create(organisation=persona.organisation, name="Social selling")


@pytest.fixture
def item(program) -> ContentItem:
    return ContentItem.objects.create(
        organisation=program.organisation,
        program=program,
        kind=Kind.ARTICLE,
        status=Status.PUBLISHED,
        title="Étude de cas Verdier Flow",
        url="https://verdier.example/flow",
        language="fr",
        published_at=timezone.now() - timedelta(days=400),
    )


def enrol(program: Program, person: Any, kind: str = "mission", consent: bool = False) -> Enrolment:
    ambassador_type = AmbassadorType.objects.get(organisation=program.organisation, kind=kind)
    return Enrolment.objects.create(
        program=program,
        person=person,
        ambassador_type=ambassador_type,
        status=Enrolment.Status.ACTIVE,
        contribution_report_consent=consent,
    )


def stats(person: Any, program: Program, day: date, item: Any = None, **counters: Any) -> None:
    DailyShareStats.objects.create(
        organisation=person.organisation,
        person=person,
        program=program,
        item=item,
        day=day,
        network="bluesky",
        **counters,
    )


def message(person: Any, item: Any, day: date, similarity: int | None) -> Share:
    return Share.objects.create(
        organisation=person.organisation,
        person=person,
        item=item,
        message="Mon avis sur ce projet",
        similarity=similarity,
        created_at=datetime.combine(day, time(10), tzinfo=UTC),
    )


def contribution(
    person: Any, day: date, title: str = "Talk at SIDO", **fields: Any
) -> Contribution:
    return Contribution.objects.create(
        organisation=person.organisation,
        person=person,
        kind=fields.pop("kind", "talk"),
        title=title,
        occurred_on=day,
        **fields,
    )
