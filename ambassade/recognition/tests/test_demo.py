"""The demo: its posts earned points by the default rules (a personal message more than a
copy), and the printed ambassador is among those who chose to appear on the boards."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Count, Sum

from ambassade.core import demo
from ambassade.recognition import participation, progress
from ambassade.recognition.models import (
    Challenge,
    ChallengeScope,
    EntryReason,
    LedgerEntry,
    Profile,
)
from ambassade.sharing.models import Share
from ambassade.sharing.selectors import settings_of

pytestmark = pytest.mark.django_db


def test_the_demo_posts_earned_their_points_once_per_item() -> None:
    context = demo.build(people=120, days=30, seed=3, today=date.today(), progress=lambda _: None)
    organisation = context.objects["organisation"]
    entries = LedgerEntry.objects.filter(organisation=organisation)
    assert entries.exists()
    # One share entry per person and item at most, whatever the number of posts.
    twice = (
        entries.filter(reason=EntryReason.SHARE)
        .values("person", "detail__item")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not twice.exists()
    threshold = settings_of(organisation).similarity_threshold
    personal = entries.filter(reason=EntryReason.PERSONAL).values_list("key", flat=True)
    for key in personal:
        _kind, person, item = key.split(":")
        share = (
            Share.objects.filter(person_id=int(person), item_id=int(item))
            .order_by("created_at")
            .first()
        )
        assert share is not None and share.similarity is not None
        assert share.similarity < threshold
    copies = entries.filter(reason=EntryReason.SHARE).exclude(
        key__in=[key.replace("personal:", "share:") for key in personal]
    )
    assert copies.exists()  # the demo has copies, which earn the base only
    # Earning moves both balances alike; only the demo's reward requests spend.
    earned = entries.exclude(reason__in=[EntryReason.REWARD, EntryReason.REWARD_RETURNED])
    assert earned.aggregate(total=Sum("points")) == {
        "total": earned.aggregate(total=Sum("spendable"))["total"]
    }
    assert Profile.objects.get(person__email="ambassadeur@verdier.example").on_boards
    # A campaign with a collective challenge runs, with its progress and participation.
    challenge = Challenge.objects.get(campaign__name="Salon Industrie Lyon")
    assert challenge.scope == ChallengeScope.COLLECTIVE
    assert challenge.starts_on <= date.today() <= challenge.ends_on
    under_way = progress.progress_of(challenge)
    assert 0 < under_way.total < challenge.target
    assert [rate.period for rate in participation.around(challenge, date.today())] == [
        "before",
        "during",
    ]
    # About a third of those who earned chose the boards: some, never everyone.
    earners = entries.values("person").distinct().count()
    assert 0 < Profile.objects.filter(on_boards=True).count() < earners
