"""The demo's shared links have daily counters, and analytics adds them up exactly."""

from __future__ import annotations

import pytest
from django.db.models import F, Sum
from django.utils import timezone

from ambassade.analytics.models import DailyShareStats
from ambassade.core import demo
from ambassade.sharing.models import ShareTarget
from ambassade.tracking.models import DailyLinkStats

pytestmark = pytest.mark.django_db


def test_demo_links_have_counters_only_for_shared_posts() -> None:
    # Today, not a fixed date: the analytics step rolls up days up to now.
    demo.build(people=120, days=60, seed=3, today=timezone.localdate(), progress=lambda _: None)
    counters = DailyLinkStats.objects.all()
    assert counters.exists()
    assert not counters.filter(unique_visitors__gt=F("human_clicks")).exists()
    shared = ShareTarget.objects.filter(status__in=["published", "declared"])
    assert set(counters.values_list("link_id", flat=True)) <= set(
        shared.values_list("tracked_link_id", flat=True)
    )
    clicks = counters.aggregate(total=Sum("human_clicks"))["total"]
    assert DailyShareStats.objects.aggregate(total=Sum("human_clicks"))["total"] == clicks
