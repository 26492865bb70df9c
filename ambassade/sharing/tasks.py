"""Background tasks of sharing: one task per target, and the periodic jobs."""

from __future__ import annotations

from django_tasks import task

from ambassade.core.periodic import every
from ambassade.sharing import expiry, measures, publishing


@task()
def publish_target(target_id: int) -> str:
    return publishing.publish(target_id)


@every(minutes=1)
@task()
def release_due() -> int:
    """Queues due targets (immediate backends, resumed pauses, crashed workers)."""
    return publishing.release_due()


@every(hours=1)
@task()
def fetch_metrics() -> int:
    """Likes, reposts, replies (and impressions where given) of the last two weeks' posts."""
    return measures.refresh_metrics()


@every(hours=24)
@task()
def refresh_audiences() -> int:
    """Followers or connections of every connected account."""
    return measures.refresh_audiences()


@every(days=1)
@task()
def warn_expiring_accounts() -> int:
    """Tells people 7 days and 1 day before a token that cannot be refreshed expires."""
    return expiry.warn_expiring_accounts()
