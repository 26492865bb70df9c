"""The demo's badges: four, in the organisation's French names, awarded to those whose demo
activity earned them and to nobody else."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from ambassade.core import demo
from ambassade.recognition.badges import path_completed
from ambassade.recognition.models import Badge, BadgeAward, Criterion, EntryReason, LedgerEntry

pytestmark = pytest.mark.django_db


def test_the_demo_awards_its_badges_to_those_who_earned_them() -> None:
    context = demo.build(people=80, days=30, seed=5, today=date.today(), progress=lambda _: None)
    organisation = context.objects["organisation"]
    found = Badge.objects.filter(organisation=organisation)
    assert found.count() == 4 and found.filter(name="Première voix").exists()
    awards = BadgeAward.objects.filter(badge__organisation=organisation)
    assert context.objects["badges_awarded"] == awards.count() > 0

    personal = set(
        LedgerEntry.objects.filter(
            organisation=organisation, reason=EntryReason.PERSONAL
        ).values_list("person_id", flat=True)
    )
    first = set(
        awards.filter(badge__criterion=Criterion.FIRST_PERSONAL_SHARE).values_list(
            "person_id", flat=True
        )
    )
    assert first == personal
    recent = timezone.now() - timedelta(days=90)
    ten = set(
        LedgerEntry.objects.filter(organisation=organisation)
        .values("person_id")
        .annotate(n=Count("pk", filter=Q(reason=EntryReason.SHARE, occurred_at__gte=recent)))
        .filter(n__gte=10)
        .values_list("person_id", flat=True)
    )
    assert (
        set(
            awards.filter(badge__criterion=Criterion.SHARES_IN_90_DAYS).values_list(
                "person_id", flat=True
            )
        )
        == ten
    )
    for award in awards.filter(badge__criterion=Criterion.PATH_COMPLETED).select_related("person")[
        :5
    ]:
        assert path_completed(award.person)
