"""Demo step: the daily counters of the demo's shared links.

The demo has no real visitors, so instead of raw clicks it writes what the ingestion
would have produced: for each published or declared share, a few days of human clicks
that fade after the first day, unique visitors below them, and some crawler previews
and bots (flagged, never counted as clicks). Dashboards and "My figures" then show a
living program; `ambassade manage rebuild_analytics` reads these counters.
"""

from __future__ import annotations

from datetime import timedelta

from ambassade.core.demo import DemoContext, demo_step
from ambassade.tracking.models import DailyLinkStats, TrackedLink

SHARED = ("published", "declared")


@demo_step(45)
def link_counters(context: DemoContext) -> None:
    from ambassade.sharing.models import ShareTarget  # sharing's demo step ran before (40)

    rng = context.rng
    targets = ShareTarget.objects.filter(
        organisation=context.objects["organisation"],
        status__in=SHARED,
        tracked_link__isnull=False,
    ).values_list("tracked_link_id", "created_at")
    links = {link.pk: link for link in TrackedLink.objects.filter(pk__in=[t[0] for t in targets])}
    rows = []
    for link_id, created in targets:
        first_day = created.date()
        clicks = rng.randint(0, 60)
        for offset in range(rng.randint(1, 6)):
            day = first_day + timedelta(days=offset)
            if day > context.today or clicks <= 0:
                break
            rows.append(
                DailyLinkStats(
                    link=links[link_id],
                    day=day,
                    human_clicks=clicks,
                    unique_visitors=max(0, clicks - rng.randint(0, clicks // 4 + 1)),
                    previews=rng.randint(1, 4) if offset == 0 else 0,
                    bots=rng.randint(0, 3),
                )
            )
            clicks //= 2
    DailyLinkStats.objects.bulk_create(rows, batch_size=2000)
    context.progress(f"{len(rows)} daily link counters")
