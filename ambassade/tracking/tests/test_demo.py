"""The demo's shared links have daily counters, and analytics adds them up exactly."""

from __future__ import annotations

import pytest
from django.db.models import F, Sum

from ambassade.analytics.models import DailyShareStats
from ambassade.core import demo
from ambassade.sharing.models import ShareTarget
from ambassade.tracking.models import DailyLinkStats
from ambassade.tracking.visitors import utc_today

pytestmark = pytest.mark.django_db


def test_demo_links_have_counters_only_for_shared_posts() -> None:
    # Today's UTC day, as `ambassade demo-data` does: the analytics step rolls up UTC days
    # up to now (a local day ahead of UTC would write clicks it does not reach yet).
    demo.build(people=120, days=60, seed=3, today=utc_today(), progress=lambda _: None)
    counters = DailyLinkStats.objects.all()
    assert counters.exists()
    assert not counters.filter(unique_visitors__gt=F("human_clicks")).exists()
    shared = ShareTarget.objects.filter(status__in=["published", "declared"])
    assert set(counters.values_list("link_id", flat=True)) <= set(
        shared.values_list("tracked_link_id", flat=True)
    )
    clicks = counters.aggregate(total=Sum("human_clicks"))["total"]
    assert DailyShareStats.objects.aggregate(total=Sum("human_clicks"))["total"] == clicks
