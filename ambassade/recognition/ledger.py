"""Writes of the points ledger: earning by a rule, corrections, spending and giving back.

Earning runs inside an event subscriber's transaction (subscribers.py) or a periodic job:
each entry carries a key unique per organisation, so a redelivered event or a rerun job
adds nothing. Spending locks the person's profile row, so two requests racing for the
last points (or the last item) see each other's entry: the balance never goes below zero.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.core.models import DomainEvent
from ambassade.people.models import Person
from ambassade.programs.models import Program
from ambassade.recognition import badges
from ambassade.recognition.models import EntryReason, LedgerEntry, PointRule, Profile, RuleKind


@dataclass(frozen=True)
class Default:
    points: int
    daily_cap: int | None = None
    milestone: int | None = None


# The rules a program starts with: the personal bonus equals the share's base, so a
# message in one's own words earns twice what a copy earns; clicks count by milestones of
# human clicks (bots, previews, self-clicks and floods are never human clicks).
DEFAULT_RULES: dict[str, Default] = {
    RuleKind.SHARE: Default(10, daily_cap=3),
    RuleKind.PERSONAL: Default(10, daily_cap=3),
    RuleKind.CLICKS: Default(5, daily_cap=10, milestone=10),
    RuleKind.CONVERSION: Default(20, daily_cap=5),
    RuleKind.SUGGESTION: Default(15, daily_cap=3),
    RuleKind.MODULE: Default(10, daily_cap=5),
    RuleKind.CONTRIBUTION: Default(15, daily_cap=3),
    RuleKind.FIELD_REPORT: Default(20, daily_cap=3),
}
MAX_POINTS = 10_000
MAX_CORRECTION = 100_000


@dataclass(frozen=True)
class Balances:
    lifetime: int
    spendable: int


def rules_of(program: Program) -> dict[str, PointRule]:
    """The program's rules by kind; the missing ones are created with their defaults."""
    rules = {rule.kind: rule for rule in PointRule.objects.filter(program=program)}
    missing = [kind for kind in DEFAULT_RULES if kind not in rules]
    if missing:
        PointRule.objects.bulk_create(
            [
                PointRule(
                    program=program,
                    kind=kind,
                    points=DEFAULT_RULES[kind].points,
                    daily_cap=DEFAULT_RULES[kind].daily_cap,
                    milestone=DEFAULT_RULES[kind].milestone,
                )
                for kind in missing
            ],
            ignore_conflicts=True,
        )
        rules = {rule.kind: rule for rule in PointRule.objects.filter(program=program)}
    return rules


def profile_of(person: Person) -> Profile:
    profile, _created = Profile.objects.get_or_create(person=person)
    return profile


def balances(person: Person) -> Balances:
    totals = LedgerEntry.objects.filter(person=person).aggregate(
        lifetime=Sum("points"), spendable=Sum("spendable")
    )
    return Balances(totals["lifetime"] or 0, totals["spendable"] or 0)


def _insert(entry: LedgerEntry) -> LedgerEntry | None:
    """Saves the entry unless its key is already in the ledger (then None)."""
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        if LedgerEntry.objects.filter(
            organisation_id=entry.organisation_id, key=entry.key
        ).exists():
            return None
        raise
    if entry.reason in badges.AWARDING_REASONS:
        # Same transaction as the entry: the badge it brings is written with it, or neither.
        badges.award_due(entry.person, criteria=badges.criteria_counting(entry.reason))
    return entry


def _day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    start = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def earn(
    person: Person,
    program: Program,
    kind: str,
    *,
    key: str,
    event: DomainEvent | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
    times: int = 1,
    rules: dict[str, PointRule] | None = None,
) -> LedgerEntry | None:
    """Points of the program's rule ``kind`` (``times`` its points: several milestones at
    once), unless the rule is off, its daily cap is reached or the key is already there.
    ``rules``: the program's ``rules_of``, when the caller earns several kinds at once."""
    if program.organisation_id != person.organisation_id:
        raise ValueError("a person earns points in their own organisation's programs only")
    rule = (rules if rules is not None else rules_of(program)).get(kind)
    if rule is None or not rule.enabled or rule.points == 0 or times < 1:
        return None
    at = at or timezone.now()
    if rule.daily_cap is not None:
        start, end = _day_bounds(at)
        today = LedgerEntry.objects.filter(
            person=person,
            program=program,
            reason=kind,
            occurred_at__gte=start,
            occurred_at__lt=end,
        ).count()
        if today >= rule.daily_cap:
            return None
    points = rule.points * times
    return _insert(
        LedgerEntry(
            organisation_id=person.organisation_id,
            person=person,
            program=program,
            reason=kind,
            points=points,
            spendable=points,
            key=key[:120],
            event=event,
            detail=detail or {},
            occurred_at=at,
        )
    )


def grant(
    person: Person,
    program: Program | None,
    reason: str,
    points: int,
    *,
    key: str,
    detail: dict[str, Any] | None = None,
    event: DomainEvent | None = None,
) -> LedgerEntry | None:
    """Points that no rule sets (a challenge's); the key makes it once only."""
    if points <= 0:
        return None
    return _insert(
        LedgerEntry(
            organisation_id=person.organisation_id,
            person=person,
            program=program,
            reason=reason,
            points=points,
            spendable=points,
            key=key[:120],
            event=event,
            detail=detail or {},
        )
    )


@transaction.atomic
def correct(
    actor: Actor,
    person: Person,
    points: Any,
    note: Any,
    *,
    corrects: LedgerEntry | None = None,
) -> LedgerEntry:
    """An audited correction (fraud, a mistake): a new entry, never an edit."""
    if not allowed(actor, "recognition.correct"):
        raise PermissionDenied
    if person.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if isinstance(points, bool) or not isinstance(points, int) or points == 0:
        errors["points"] = _("Enter the points to add or take back, as a whole number, not 0.")
    elif abs(points) > MAX_CORRECTION:
        errors["points"] = _("A correction moves at most %(limit)d points.") % {
            "limit": MAX_CORRECTION
        }
    note = (note or "").strip() if isinstance(note, str) else ""
    if not note:
        errors["note"] = _("Say why: the person sees it beside the correction.")
    elif len(note) > 500:
        errors["note"] = _("The reason is longer than 500 characters.")
    if corrects is not None and corrects.person_id != person.pk:
        errors["corrects"] = _("This entry is someone else's.")
    if errors:
        raise ValidationError(errors)
    profile = Profile.objects.select_for_update().get(pk=profile_of(person).pk)
    entry = LedgerEntry.objects.create(
        organisation_id=person.organisation_id,
        person=profile.person,
        program_id=corrects.program_id if corrects is not None else None,
        reason=EntryReason.CORRECTION,
        points=points,
        spendable=points,
        key=f"correction:{uuid.uuid4()}",
        note=note,
        corrects=corrects,
        created_by=actor.person,
    )
    audit.record(
        "recognition.points_corrected",
        organisation=actor.organisation,
        actor=actor,
        target=person,
        after={"entry": entry.pk, "points": points, "note": note},
    )
    return entry


def spend(person: Person, cost: int, *, key: str, detail: dict[str, Any]) -> LedgerEntry:
    """Takes ``cost`` spendable points, in the caller's transaction; refuses beyond the
    balance. The profile row is locked first: concurrent spends of a person queue."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("spend() belongs inside the action's transaction")
    profile_of(person)
    Profile.objects.select_for_update().filter(person=person).get()
    available = balances(person).spendable
    if cost > available:
        raise ValidationError(
            _("This costs %(cost)d points and you have %(available)d to spend.")
            % {"cost": cost, "available": available}
        )
    return LedgerEntry.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        reason=EntryReason.REWARD,
        points=0,
        spendable=-cost,
        key=key[:120],
        detail=detail,
    )


def give_back(person: Person, cost: int, *, key: str, detail: dict[str, Any]) -> LedgerEntry | None:
    """Returns the points of a cancelled request (once: the key)."""
    return _insert(
        LedgerEntry(
            organisation_id=person.organisation_id,
            person=person,
            reason=EntryReason.REWARD_RETURNED,
            points=0,
            spendable=cost,
            key=key[:120],
            detail=detail,
        )
    )


def earned_between(organisation_id: int, start: datetime, end: datetime) -> Q:
    """The entries that count on boards and draws: earned (not spends or returns)."""
    return Q(
        organisation_id=organisation_id,
        occurred_at__gte=start,
        occurred_at__lt=end,
    ) & ~Q(reason__in=[EntryReason.REWARD, EntryReason.REWARD_RETURNED])
