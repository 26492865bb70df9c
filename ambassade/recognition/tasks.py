"""Background work of recognition: badges for those who qualified before a badge existed
or changed."""

from __future__ import annotations

from django_tasks import task

from ambassade.core.periodic import every


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
