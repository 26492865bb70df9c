"""Periodic jobs of tracked links: ingesting clicks, replacing the visitors' salt."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django_tasks import task

from ambassade.core.periodic import every
from ambassade.tracking import ingest
from ambassade.tracking.models import VisitorSalt
from ambassade.tracking.visitors import utc_today


@every(minutes=1)
@task()
def ingest_clicks() -> dict[str, int]:
    """Stores the clicks of closed spool files (and the Redis stream) with their counters."""
    return ingest.ingest()


@every(hours=1)
@task()
def rotate_salts() -> int:
    """Makes today's and tomorrow's salts ahead of need (so a redirect only ever reads
    one), and deletes every earlier one: yesterday's hashes can no longer be recomputed."""
    today = utc_today()
    for day in (today, today + timedelta(days=1)):
        VisitorSalt.objects.get_or_create(day=day, defaults={"salt": secrets.token_hex(32)})
    deleted, _ = VisitorSalt.objects.filter(day__lt=today).delete()
    return deleted
