"""Background work of field reports: the erasure of personal data after retention."""

from __future__ import annotations

from django_tasks import task

from ambassade.core.periodic import every


@every(hours=6)
@task()
def erase_expired_field_reports() -> int:
    """Closed reports flagged as holding personal data lose their text, link, photo and
    answer once the organisation's retention period after closing is over."""
    from ambassade.field.actions import erase_expired

    return erase_expired()
