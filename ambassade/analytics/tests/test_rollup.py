"""The daily rollup against direct counts on the raw data, after random inserts."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum

from ambassade.analytics import rollup
from ambassade.analytics.models import DailyShareStats
from ambassade.analytics.tests.conftest import (
    account,
    clicks,
    convert,
    link_for,
    make_item,
    member,
    share,
    today,
)
from ambassade.programs.models import Program
from ambassade.sharing.models import ShareTarget, TargetStatus
from ambassade.tracking.models import Conversion, DailyLinkStats

pytestmark = pytest.mark.django_db

STATUSES = [
    TargetStatus.PUBLISHED,
    TargetStatus.PUBLISHED,
    TargetStatus.DECLARED,
    TargetStatus.FAILED,
    TargetStatus.SCHEDULED,
    TargetStatus.CANCELLED,
]


def random_data(rng: random.Random, programs: list[Program], people: list[Any], n: int) -> None:
    items = [make_item(p, f"item {p.pk}-{i}") for p in programs for i in range(3)]
    accounts = {p.pk: account(p, rng.choice([None, 0, 150, 2300])) for p in people}
    for _ in range(n):
        person = rng.choice(people)
        status = rng.choice(STATUSES)
        day = today() - timedelta(days=rng.randint(0, 40))
        target = share(
            person,
            rng.choice(items),
            day,
            status=status,
            social=None if status == TargetStatus.DECLARED else accounts[person.pk],
            network="facebook",
            likes=rng.choice([None, rng.randint(0, 30)]),
            reposts=rng.choice([None, rng.randint(0, 5)]),
            replies=rng.choice([None, rng.randint(0, 5)]),
        )
        target.impressions = rng.choice([None, rng.randint(0, 900)])
        target.save(update_fields=["impressions"])
        link = link_for(target)
        for offset in range(rng.randint(0, 3)):
            human = rng.randint(0, 20)
            clicks(link, min(day + timedelta(days=offset), today()), human, rng.randint(0, human))
        for _conversion in range(rng.choice([0, 0, 1, 2])):
            kind = rng.choice(["application", "lead"])
            when = min(day + timedelta(days=rng.randint(0, 2)), today())
            convert(link, when, kind, str(rng.randint(0, 90)))


def direct(program: Program | None = None) -> dict[str, Any]:
    """The same totals counted straight from the raw tables."""
    targets = ShareTarget.objects.all()
    stats = DailyLinkStats.objects.all()
    conversions = Conversion.objects.all()
    if program is not None:
        targets = targets.filter(share__item__program=program)
        item_ids = list(program.content_items.values_list("pk", flat=True))
        stats = stats.filter(link__content_item_id__in=item_ids)
        conversions = conversions.filter(content_item_id__in=item_ids)
    counted = targets.filter(status__in=[TargetStatus.PUBLISHED, TargetStatus.DECLARED])
    sums = counted.aggregate(
        reach=Sum("account__audience"),
        likes=Sum("likes"),
        reposts=Sum("reposts"),
        impressions=Sum("impressions"),
    )
    link_sums = stats.aggregate(human=Sum("human_clicks"), unique=Sum("unique_visitors"))
    return {
        "shares_published": targets.filter(status=TargetStatus.PUBLISHED).count(),
        "shares_declared": targets.filter(status=TargetStatus.DECLARED).count(),
        "potential_reach": sums["reach"] or 0,
        "likes": sums["likes"] or 0,
        "reposts": sums["reposts"] or 0,
        "impressions": sums["impressions"] or 0,
        "human_clicks": link_sums["human"] or 0,
        "unique_visitors": link_sums["unique"] or 0,
        "conversions": conversions.count(),
        "applications": conversions.filter(kind="application").count(),
        "conversion_value": conversions.aggregate(v=Sum("value"))["v"] or Decimal("0"),
    }


def rolled(program: Program | None = None) -> dict[str, Any]:
    rows = DailyShareStats.objects.all()
    if program is not None:
        rows = rows.filter(program=program)
    names = list(direct(None).keys())
    sums = rows.aggregate(**{name: Sum(name) for name in names})
    return {
        name: sums[name] or (Decimal("0") if name == "conversion_value" else 0) for name in names
    }


def per_person_day_shares() -> Counter[tuple[int, Any]]:
    counted: Counter[tuple[int, Any]] = Counter()
    for target in ShareTarget.objects.filter(
        status__in=[TargetStatus.PUBLISHED, TargetStatus.DECLARED]
    ).select_related("share"):
        moment = target.published_at or target.created_at
        counted[(target.share.person_id, moment.date())] += 1
    return counted


def rolled_person_day_shares() -> Counter[tuple[int, Any]]:
    counted: Counter[tuple[int, Any]] = Counter()
    for person, day, published, declared in DailyShareStats.objects.values_list(
        "person_id", "day", "shares_published", "shares_declared"
    ):
        if published + declared:
            counted[(person, day)] += published + declared
    return counted


@pytest.mark.parametrize("seed", [1, 2])
def test_rollup_matches_direct_counts_after_random_inserts(persona, seed) -> None:
    rng = random.Random(seed)
    programs = [
        Program.objects.create(organisation=persona.organisation, name=f"P{n}") for n in range(2)
    ]
    people = [member(programs[n % 2]) for n in range(6)]
    random_data(rng, programs, people, 60)

    rollup.rebuild()
    assert rolled() == direct()
    for program in programs:
        assert rolled(program) == direct(program)
    assert rolled_person_day_shares() == per_person_day_shares()

    # More raw data arrives: the periodic run recomputes the days it touched.
    random_data(rng, programs, people, 25)
    assert rolled() != direct()
    result = rollup.update()
    assert result["days"] > 0
    assert rolled() == direct()
    for program in programs:
        assert rolled(program) == direct(program)
    assert rolled_person_day_shares() == per_person_day_shares()

    # Nothing new: a run changes nothing, and a rebuild gives the same rows.
    before = rolled()
    rollup.update()
    rollup.rebuild()
    assert rolled() == before


def test_engagement_collected_later_is_picked_up(persona, program, item) -> None:
    from django.utils import timezone

    person = member(program)
    target = share(person, item, today() - timedelta(days=20), social=account(person, 10))
    rollup.update()  # the first run builds everything
    assert rolled()["likes"] == 0
    target.likes, target.metrics_at = 7, timezone.now()
    target.save()
    rollup.update()
    assert rolled()["likes"] == 7
    assert rolled()["potential_reach"] == 10


def test_rebuild_command_since_a_date(persona, program, item) -> None:
    person = member(program)
    old = share(person, item, today() - timedelta(days=30), social=account(person, 5))
    recent = share(person, item, today() - timedelta(days=2), social=account(person, 5))
    call_command("rebuild_analytics")
    assert rolled()["shares_published"] == 2
    DailyShareStats.objects.all().delete()
    call_command("rebuild_analytics", since=str(today() - timedelta(days=5)))
    assert rolled()["shares_published"] == 1
    assert DailyShareStats.objects.get().day == recent.published_at.date()
    assert old.published_at.date() < today() - timedelta(days=5)


def test_the_periodic_job_is_registered() -> None:
    from ambassade.core.periodic import REGISTRY

    job = REGISTRY["ambassade.analytics.tasks.update_daily_share_stats"]
    assert job.interval == timedelta(minutes=5)


def test_potential_reach_is_the_audience_when_the_post_went_out(persona, program, item) -> None:
    person = member(program)
    social = account(person, 1000)
    target = share(person, item, today(), social=social)
    target.audience = 1000  # as the publishing engine records it
    target.save(update_fields=["audience"])
    social.audience = 50_000  # the account grew a lot afterwards
    social.save(update_fields=["audience"])
    rollup.rebuild()
    assert rolled(program)["potential_reach"] == 1000
