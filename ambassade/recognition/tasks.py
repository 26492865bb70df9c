"""Background work of recognition: points for the clicks and conversions of people's links,
badges for those who qualified before a badge existed or changed, and the points of
completed challenges."""

from __future__ import annotations

from django_tasks import task

from ambassade.core.periodic import every
from ambassade.recognition import progress, tracking_points


@every(hours=6)
@task()
def award_badges_to_recent_earners() -> int:
    """Everyone with a ledger entry in the last day is evaluated again: a badge created
    or changed since their entry is awarded to them (once: awards are unique)."""
    from ambassade.recognition.badges import award_recent

    return award_recent()


@task()
def award_badge_to_qualified(badge_id: int) -> int:
    """A badge created or changed in the console reaches those who already qualify."""
    from ambassade.recognition.badges import award_to_qualified

    return award_to_qualified(badge_id)


@every(minutes=10)
@task()
def earn_for_links() -> dict[str, int]:
    """Clicks milestones and conversions of the last two days; a rerun adds nothing."""
    return tracking_points.earn_for_links()


@every(minutes=15)
@task()
def complete_challenges() -> dict[str, int]:
    """Grants the points of the challenges whose target was reached since the last run."""
    return progress.complete_challenges()
