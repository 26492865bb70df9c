"""Awarding badges: which of the organisation's active badges a person now qualifies for.

Most criteria count the person's ledger entries of one reason (a personalised share, a
conversion, a challenge), which is why ``award_due`` runs right after an entry is inserted,
in the same transaction (ledger._insert): the badge and the points that earned it are
written together, or neither is. Training is read from learning: the path is completed when
every required module is passed (and at least one is required). Awards are rows unique per
badge and person, so running ``award_due`` twice (a redelivered event, the daily job)
awards nothing twice; no audit row is written per award, only for the console's writes.
Each award records ``recognition.badge_awarded`` in its transaction: the person is told.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ambassade.core import events
from ambassade.people.models import Person
from ambassade.recognition.models import Badge, BadgeAward, Criterion, EntryReason, LedgerEntry

RECENT_SHARES = timedelta(days=90)
# The ledger reason each criterion counts (the path is read from learning instead).
COUNTED: dict[str, str] = {
    Criterion.FIRST_PERSONAL_SHARE: EntryReason.PERSONAL,
    Criterion.SHARES_IN_90_DAYS: EntryReason.SHARE,
    Criterion.FIRST_CONVERSION: EntryReason.CONVERSION,
    Criterion.CHALLENGE_COMPLETED: EntryReason.CHALLENGE,
}
# Entries of these reasons may bring a badge: inserting another one (a reward) does not.
AWARDING_REASONS = frozenset(COUNTED.values())


def criteria_counting(reason: str) -> list[str]:
    return [criterion for criterion, counted in COUNTED.items() if counted == reason]


def path_completed(person: Person) -> bool:
    from ambassade.learning import selectors

    required = [entry for entry in selectors.path_of(person) if entry.required]
    return bool(required) and all(entry.done for entry in required)


def progress_of(
    person: Person, criteria: Iterable[str], now: datetime | None = None
) -> dict[str, int]:
    """criterion -> how many times the person met it so far (the path: 1 or 0)."""
    criteria = set(criteria)
    now = now or timezone.now()
    counts: dict[str, int] = {}
    ledger_criteria = [criterion for criterion in criteria if criterion in COUNTED]
    if ledger_criteria:
        recent = now - RECENT_SHARES
        aggregates = {
            criterion: Count(
                "pk",
                filter=Q(reason=COUNTED[criterion])
                & (Q(occurred_at__gte=recent) if criterion == Criterion.SHARES_IN_90_DAYS else Q()),
            )
            for criterion in ledger_criteria
        }
        counts.update(
            LedgerEntry.objects.filter(
                person=person, organisation_id=person.organisation_id
            ).aggregate(**aggregates)
        )
    if Criterion.PATH_COMPLETED in criteria:
        counts[Criterion.PATH_COMPLETED] = 1 if path_completed(person) else 0
    return counts


def award_due(person: Person, *, criteria: Iterable[str] | None = None) -> list[BadgeAward]:
    """Awards the active badges the person qualifies for and does not hold yet (only those
    of ``criteria``, if given); returns the new awards."""
    if person.anonymised_at is not None:
        return []
    due = Badge.objects.filter(organisation_id=person.organisation_id, active=True).exclude(
        awards__person=person
    )
    if criteria is not None:
        due = due.filter(criterion__in=list(criteria))
    badges = list(due)
    if not badges:
        return []
    counts = progress_of(person, {badge.criterion for badge in badges})
    earned = [badge for badge in badges if counts.get(badge.criterion, 0) >= badge.threshold]
    return _award(person, earned) if earned else []


@transaction.atomic
def _award(person: Person, earned: list[Badge]) -> list[BadgeAward]:
    """One row and one event per badge: the event (which tells the person) exists only for
    an award written here, never for one a concurrent run wrote first."""
    awards = []
    for badge in earned:
        try:
            with transaction.atomic():
                award = BadgeAward.objects.create(badge=badge, person=person)
        except IntegrityError:  # a concurrent run awarded it: the unique row keeps one
            continue
        events.record(
            "recognition.badge_awarded",
            person.organisation,
            badge_id=badge.pk,
            person_id=person.pk,
            badge_name=badge.name,
        )
        awards.append(award)
    return awards


def award_recent(since: timedelta = timedelta(days=1)) -> int:
    """Re-evaluates everyone with a ledger entry since ``since`` ago (badges created or
    changed after their entries); returns the number of people evaluated."""
    people = Person.objects.filter(
        pk__in=LedgerEntry.objects.filter(occurred_at__gte=timezone.now() - since).values(
            "person_id"
        ),
        anonymised_at__isnull=True,
    )
    evaluated = 0
    for person in people.iterator(chunk_size=500):
        award_due(person)
        evaluated += 1
    return evaluated


def award_to_qualified(badge_id: int) -> int:
    """Awards a badge just created (or changed, or awarded again) to everyone of its
    organisation who already qualifies; returns the number of new awards."""
    badge = Badge.objects.filter(pk=badge_id, active=True).first()
    if badge is None:
        return 0
    concerned: QuerySet[Any, int]
    if badge.criterion == Criterion.PATH_COMPLETED:
        from ambassade.learning.models import Attempt

        concerned = Attempt.objects.filter(
            person__organisation_id=badge.organisation_id, passed=True
        ).values_list("person_id", flat=True)
    else:
        entries = LedgerEntry.objects.filter(
            organisation_id=badge.organisation_id, reason=COUNTED[badge.criterion]
        )
        if badge.criterion == Criterion.SHARES_IN_90_DAYS:
            entries = entries.filter(occurred_at__gte=timezone.now() - RECENT_SHARES)
        concerned = entries.values_list("person_id", flat=True)
    people = Person.objects.filter(
        organisation_id=badge.organisation_id, pk__in=concerned, anonymised_at__isnull=True
    ).exclude(badge_awards__badge=badge)
    awarded = 0
    for person in people.iterator(chunk_size=500):
        awarded += len(award_due(person, criteria=[badge.criterion]))
    return awarded
