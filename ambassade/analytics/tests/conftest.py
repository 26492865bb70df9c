"""Fixtures of the analytics tests: a program with items, enrolled people, raw data."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing.models import Share, ShareTarget, SocialAccount, TargetStatus
from ambassade.testing.factories import PersonFactory
from ambassade.tracking.models import ChangedDay, Click, Conversion, DailyLinkStats, TrackedLink

_codes = itertools.count(1)


def today() -> date:
    return timezone.now().astimezone(UTC).date()


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@pytest.fixture
def program(persona) -> Program:
    return Program.objects.create(organisation=persona.organisation, name="Marque employeur")


def make_item(program: Program, title: str = "Nous recrutons") -> ContentItem:
    return ContentItem.objects.create(
        organisation=program.organisation,
        program=program,
        kind=Kind.ARTICLE,
        status=Status.PUBLISHED,
        title=title,
        url="https://verdier.example/jobs",
        language="fr",
        published_at=timezone.now() - timedelta(days=60),
    )


@pytest.fixture
def item(program) -> ContentItem:
    return make_item(program)


def enrol(program: Program, person: Any) -> Enrolment:
    kind, _ = AmbassadorType.objects.get_or_create(
        organisation=program.organisation, kind="supporter"
    )
    return Enrolment.objects.create(
        program=program, person=person, ambassador_type=kind, status=Enrolment.Status.ACTIVE
    )


def member(program: Program, **kwargs: Any) -> Any:
    person = PersonFactory(organisation=program.organisation, **kwargs)
    enrol(program, person)
    return person


def account(person: Any, audience: int | None, network: str = "bluesky") -> SocialAccount:
    return SocialAccount.objects.create(
        organisation=person.organisation,
        person=person,
        network=network,
        remote_id=f"did:{next(_codes)}",
        handle=f"@p{person.pk}",
        audience=audience,
    )


def share(
    person: Any,
    item: ContentItem,
    day: date,
    *,
    status: str = TargetStatus.PUBLISHED,
    social: SocialAccount | None = None,
    network: str = "bluesky",
    likes: int | None = None,
    reposts: int | None = None,
    replies: int | None = None,
) -> ShareTarget:
    moment = at(day)
    made = Share.objects.create(
        organisation=person.organisation, person=person, item=item, message="x", created_at=moment
    )
    return ShareTarget.objects.create(
        share=made,
        organisation=person.organisation,
        account=social,
        network=social.network if social else network,
        status=status,
        published_at=moment if status == TargetStatus.PUBLISHED else None,
        created_at=moment,
        likes=likes,
        reposts=reposts,
        replies=replies,
    )


def link_for(target: ShareTarget) -> TrackedLink:
    return TrackedLink.objects.create(
        organisation=target.organisation,
        code=f"t{next(_codes):07d}",
        destination="https://verdier.example/jobs",
        person=target.share.person,
        network=target.network,
        content_item_id=target.share.item_id,
        share_target_id=target.pk,
    )


def clicks(link: TrackedLink, day: date, human: int, unique: int) -> DailyLinkStats:
    """The counters as the ingestion leaves them, with one stored click for the day."""
    Click.objects.create(
        organisation=link.organisation,
        link=link,
        time=at(day),
        day=day,
        network=link.network,
        is_human=True,
    )
    stats, created = DailyLinkStats.objects.get_or_create(
        link=link, day=day, defaults={"human_clicks": human, "unique_visitors": unique}
    )
    if not created:
        stats.human_clicks += human
        stats.unique_visitors += unique
        stats.save()
    ChangedDay.objects.create(day=day)  # as the ingestion announces it to the rollup
    return stats


def convert(link: TrackedLink, day: date, kind: str = "application", value: str = "0") -> None:
    Conversion.objects.create(
        organisation=link.organisation,
        link=link,
        person=link.person,
        network=link.network,
        content_item_id=link.content_item_id,
        kind=kind,
        value=Decimal(value),
        idempotency_key=f"k{next(_codes)}",
        source="api",
        occurred_at=at(day, 15),
    )
    ChangedDay.objects.create(day=day)  # as report_conversion announces it to the rollup
