"""Background work of the digest: the 15-minute job that claims, the task that sends."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from ambassade.core.periodic import every


@every(minutes=15)
@task()
def send_due_digests() -> int:
    """Claims the digests due now in each person's time zone; their sending is queued."""
    from ambassade.digests.actions import claim_due

    return claim_due(timezone.now())


@task()
def send_digests(sent_ids: list[int]) -> int:
    from ambassade.digests.sending import send_claimed

    return send_claimed(sent_ids)
