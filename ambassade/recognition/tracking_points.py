"""Points for what a person's links bring: human clicks by milestones, and conversions.

A periodic job (tasks.py) looks at the links with recent clicks and the recent
conversions; the entries' keys make a rerun add nothing. Only clicks that are human and
neither the person's own nor part of a flood count: bots, previews, prefetches and
HEAD requests are never human clicks (tracking/ingest.py).

A conversion counts on the day it was reported, so its rule's daily cap is that day's
whenever the job sees it. Milestones count on the day the job finds them: a link whose
milestone comes once the day's cap is reached earns at the first run of the next day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from ambassade.content.models import ContentItem
from ambassade.core.batch import each
from ambassade.recognition import ledger
from ambassade.recognition.models import EntryReason, LedgerEntry, RuleKind
from ambassade.tracking.models import Click, Conversion, TrackedLink

# Clicks and conversions stored this recently are looked at again: a job that did not
# run for a day still finds them; older ones were handled by an earlier run.
LOOK_BACK = timedelta(days=2)


def counted_clicks(link: TrackedLink) -> int:
    """The link's clicks that earn points."""
    return Click.objects.filter(link=link, is_human=True, is_self=False, is_flood=False).count()


def _covered(link: TrackedLink) -> int:
    """How many of the link's clicks earlier entries already paid for."""
    covered = 0
    for detail in LedgerEntry.objects.filter(
        organisation_id=link.organisation_id,
        reason=EntryReason.CLICKS,
        key__startswith=f"clicks:{link.pk}:",
    ).values_list("detail", flat=True):
        covered = max(covered, int(detail.get("clicks", 0)))
    return covered


def _item(link: TrackedLink) -> ContentItem | None:
    if link.content_item_id is None:
        return None
    return (
        ContentItem.objects.filter(organisation_id=link.organisation_id, pk=link.content_item_id)
        .select_related("program")
        .first()
    )


def points_for_clicks(link: TrackedLink) -> int:
    """Earns the milestones the link reached since its last entry; 1 if it earned."""
    person = link.person
    item = _item(link)
    if person is None or person.anonymised_at is not None or item is None:
        return 0
    rule = ledger.rules_of(item.program).get(RuleKind.CLICKS)
    if rule is None or not rule.milestone:
        return 0
    clicks = counted_clicks(link)
    covered = _covered(link)
    reached = clicks // rule.milestone
    times = reached - covered // rule.milestone
    if times < 1:
        return 0
    upto = reached * rule.milestone
    entry = ledger.earn(
        person,
        item.program,
        RuleKind.CLICKS,
        key=f"clicks:{link.pk}:{upto}",
        detail={"item": item.title[:200], "network": link.network, "clicks": upto},
        times=times,
    )
    return int(entry is not None)


def points_for_conversion(conversion: Conversion) -> int:
    person = conversion.person
    key = f"conversion:{conversion.pk}"
    if LedgerEntry.objects.filter(organisation_id=conversion.organisation_id, key=key).exists():
        return 0
    item = _item(conversion.link)
    if person is None or person.anonymised_at is not None or item is None:
        return 0
    entry = ledger.earn(
        person,
        item.program,
        RuleKind.CONVERSION,
        key=key,
        detail={"item": item.title[:200], "network": conversion.network, "kind": conversion.kind},
        # The day it happened: its cap is that day's, whenever the job sees it.
        at=conversion.created_at,
    )
    return int(entry is not None)


def earn_for_links(now: datetime | None = None) -> dict[str, int]:
    since = (now or timezone.now()) - LOOK_BACK
    recent = (
        Click.objects.filter(time__gte=since, is_human=True, link__person__isnull=False)
        .values_list("link", flat=True)
        .distinct()
    )
    links = TrackedLink.objects.filter(pk__in=recent).select_related("person").order_by("pk")
    conversions = (
        Conversion.objects.filter(created_at__gte=since, person__isnull=False)
        .select_related("person", "link")
        .order_by("created_at", "pk")
    )
    clicks = each("recognition.earn_for_links", links, points_for_clicks)
    converted = each("recognition.earn_for_links", conversions, points_for_conversion)
    return {
        "links": clicks.done,
        "conversions": converted.done,
        "failed": clicks.failed + converted.failed,
    }
