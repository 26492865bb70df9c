"""Who must accept the new charter, and reminding them.

Publishing a new version pauses everyone who accepted an earlier one and mails them once.
HR then sees who has not come back, since when, and may remind them: one mail per person,
an audit row each, and never more than one reminder a day to the same person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.programs import tasks
from ambassade.programs.actions._common import check, on_commit
from ambassade.programs.models import CharterVersion, Enrolment, Program

REMINDER_GAP = timedelta(days=1)


@dataclass(frozen=True)
class MustReaccept:
    enrolment: Enrolment
    since: datetime | None  # when the version they have not accepted yet was published
    reminded_at: datetime | None

    @property
    def may_remind(self) -> bool:
        return self.reminded_at is None or timezone.now() - self.reminded_at >= REMINDER_GAP


def must_reaccept(program: Program) -> list[MustReaccept]:
    """Paused enrolments of the program, the longest waiting first."""
    published = list(
        CharterVersion.objects.filter(
            program=program, status=CharterVersion.Status.PUBLISHED
        ).order_by("number")
    )
    paused = (
        Enrolment.objects.filter(program=program, status=Enrolment.Status.PAUSED)
        .select_related("person", "accepted_version")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    rows = []
    for enrolment in paused:
        accepted = enrolment.accepted_version.number if enrolment.accepted_version else 0
        newer = [version for version in published if version.number > accepted]
        rows.append(
            MustReaccept(
                enrolment=enrolment,
                since=newer[0].published_at if newer else None,
                reminded_at=enrolment.reacceptance_reminded_at,
            )
        )
    rows.sort(key=lambda row: (row.since is None, row.since or timezone.now()))
    return rows


@transaction.atomic
def remind_to_reaccept(
    actor: Actor, program: Program, enrolment_ids: list[int] | None = None
) -> tuple[int, int]:
    """Mails those who must accept the new charter (all of them, or the ones chosen).

    Returns (reminded, skipped): someone reminded less than a day ago is skipped."""
    check(actor, "charter.manage", program.organisation_id)
    waiting = Enrolment.objects.select_for_update().filter(
        program=program, status=Enrolment.Status.PAUSED
    )
    if enrolment_ids is not None:
        waiting = waiting.filter(pk__in=enrolment_ids)
    now = timezone.now()
    reminded: list[int] = []
    skipped = 0
    for enrolment in waiting.select_related("person"):
        last = enrolment.reacceptance_reminded_at
        if last is not None and now - last < REMINDER_GAP:
            skipped += 1
            continue
        enrolment.reacceptance_reminded_at = now
        enrolment.save(update_fields=["reacceptance_reminded_at"])
        audit.record(
            "charter.reacceptance_reminded",
            organisation=actor.organisation,
            actor=actor,
            target=enrolment,
            before={"reminded_at": last.isoformat() if last else None},
            after={"person": enrolment.person.full_name, "program": program.name},
        )
        reminded.append(enrolment.pk)
    if reminded:
        on_commit(tasks.send_reacceptance_mail, reminded)
    return len(reminded), skipped
