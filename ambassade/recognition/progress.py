"""How far challenges and campaigns are, and the job that rewards completed challenges.

Human clicks are the tracked links' daily human clicks (bots, previews, prefetches,
self-clicks and floods are never counted there), on the eligible people's links to the
challenge's items (its campaign's, when it has a campaign with items; else the program's),
on the challenge's days (UTC). Shares are share targets published or declared, on those
days, as the dashboards count them. Everything reads the raw counters rather than the
dashboards' rollup, so a challenge's progress follows the clicks as they are ingested.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from ambassade.content.models import ContentItem
from ambassade.core import audit, events
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment
from ambassade.recognition import ledger
from ambassade.recognition.models import (
    Campaign,
    Challenge,
    ChallengeCompletion,
    ChallengeMetric,
    ChallengeScope,
    EntryReason,
)
from ambassade.sharing.models import ShareTarget, TargetStatus
from ambassade.tracking.models import Conversion, ConversionKind, DailyLinkStats

# Clicks reach the counters a little after they happen: a challenge stays open this
# long after its last day, so its last day's clicks still count.
GRACE = timedelta(days=2)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _percent(value: int, target: int | None) -> int | None:
    if not target:
        return None
    return value * 100 // target


def eligible_people(challenge: Challenge) -> QuerySet[Person]:
    """Active members of the challenge's program, of its departments when it names some."""
    people = Person.objects.filter(
        organisation_id=challenge.program.organisation_id,
        anonymised_at__isnull=True,
        enrolments__program=challenge.program,
        enrolments__status=Enrolment.Status.ACTIVE,
    )
    departments = list(challenge.eligible_departments.values_list("pk", flat=True))
    if departments:
        people = people.filter(department_id__in=departments)
    return people.distinct()


def _item_ids(challenge: Challenge) -> QuerySet[Any, Any]:
    campaign = challenge.campaign
    if campaign is not None and campaign.items.exists():
        return campaign.items.values("pk")
    return ContentItem.objects.filter(program=challenge.program).values("pk")


def counts_by_person(challenge: Challenge) -> dict[int, int]:
    """The challenge's metric for each eligible person who has at least one."""
    people = eligible_people(challenge).values("pk")
    organisation_id = challenge.program.organisation_id
    rows: Iterable[tuple[int, Any]]
    if challenge.metric == ChallengeMetric.SHARES:
        start, end = _start(challenge.starts_on), _start(challenge.ends_on + timedelta(1))
        rows = (
            ShareTarget.objects.filter(
                organisation_id=organisation_id,
                status__in=(TargetStatus.PUBLISHED, TargetStatus.DECLARED),
                share__person__in=people,
                share__item__in=_item_ids(challenge),
            )
            .filter(
                Q(published_at__gte=start, published_at__lt=end)
                | Q(published_at__isnull=True, created_at__gte=start, created_at__lt=end)
            )
            .values("share__person_id")
            .annotate(amount=Count("pk"))
            .values_list("share__person_id", "amount")
        )
    else:
        rows = (
            DailyLinkStats.objects.filter(
                link__organisation_id=organisation_id,
                link__person__in=people,
                link__content_item_id__in=_item_ids(challenge),
                day__gte=challenge.starts_on,
                day__lte=challenge.ends_on,
            )
            .values("link__person_id")
            .annotate(amount=Sum("human_clicks"))
            .values_list("link__person_id", "amount")
        )
    return {person: amount for person, amount in rows if amount}


@dataclass
class ChallengeProgress:
    challenge: Challenge
    total: int
    by_person: dict[int, int] = field(default_factory=dict)
    # The participation rate before, during and after (participation.py), for the pages
    # that show it; None where it was not asked for.
    participation: list[Any] | None = None

    @property
    def collective(self) -> bool:
        return self.challenge.scope == ChallengeScope.COLLECTIVE

    @property
    def reached(self) -> bool:
        return self.collective and self.total >= self.challenge.target

    @property
    def percent(self) -> int:
        return _percent(self.total, self.challenge.target) or 0

    @property
    def bar(self) -> int:
        """The value of a <progress> element: the total, capped at the target."""
        return min(self.total, self.challenge.target)

    @property
    def people_reached(self) -> int:
        return sum(1 for amount in self.by_person.values() if amount >= self.challenge.target)

    def of(self, person: Person) -> int:
        return self.by_person.get(person.pk, 0)


def progress_of(challenge: Challenge) -> ChallengeProgress:
    counts = counts_by_person(challenge)
    return ChallengeProgress(challenge, sum(counts.values()), counts)


@dataclass(frozen=True)
class OpenChallenge:
    progress: ChallengeProgress
    mine: int
    done: bool


def open_for(person: Person) -> list[OpenChallenge]:
    """The challenges of the person's programs that are on today and open to them."""
    today = timezone.now().astimezone(UTC).date()
    programs = Enrolment.objects.filter(person=person, status=Enrolment.Status.ACTIVE).values(
        "program_id"
    )
    running = (
        Challenge.objects.filter(
            program__organisation_id=person.organisation_id,
            program_id__in=programs,
            archived=False,
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .select_related("program", "campaign")
        .prefetch_related("eligible_departments")
        .order_by("ends_on", "pk")
    )
    done = set(
        ChallengeCompletion.objects.filter(person=person).values_list("challenge_id", flat=True)
    )
    found = []
    for challenge in running:
        departments = [department.pk for department in challenge.eligible_departments.all()]
        if departments and person.department_id not in departments:
            continue
        measured = progress_of(challenge)
        found.append(OpenChallenge(measured, measured.of(person), challenge.pk in done))
    return found


def winners(progress: ChallengeProgress) -> list[int]:
    """Who the challenge rewards now: every contributor once a collective target is
    reached, each person at their own target for an individual one."""
    if progress.collective:
        return sorted(progress.by_person) if progress.reached else []
    target = progress.challenge.target
    return sorted(person for person, amount in progress.by_person.items() if amount >= target)


def _reward(challenge: Challenge) -> int:
    """Grants the challenge's points to its new winners; returns how many there were."""
    progress = progress_of(challenge)
    done = set(challenge.completions.values_list("person_id", flat=True))
    new = [person for person in winners(progress) if person not in done]
    people = Person.objects.in_bulk(new)
    for person_id in new:
        person = people[person_id]
        ledger.grant(
            person,
            challenge.program,
            EntryReason.CHALLENGE,
            challenge.points,
            key=f"challenge:{challenge.pk}:{person_id}",
            detail={"challenge": challenge.name[:200], "amount": progress.of(person)},
        )
        _completion, created = ChallengeCompletion.objects.get_or_create(
            challenge=challenge, person=person
        )
        if created:  # the person is told once (recognition/notices.py)
            events.record(
                "recognition.challenge_completed",
                challenge.program.organisation,
                challenge_id=challenge.pk,
                person_id=person_id,
                challenge_name=challenge.name,
                points=challenge.points,
            )
    if new and challenge.completed_at is None:
        challenge.completed_at = timezone.now()
        challenge.save(update_fields=["completed_at"])
        audit.record(
            "recognition.challenge_completed",
            organisation=challenge.program.organisation,
            actor=None,
            target=challenge,
            after={"winners": len(new), "total": progress.total},
        )
    return len(new)


def complete_challenges(today: date | None = None) -> dict[str, int]:
    """Rewards what the open challenges' progress reached; a rerun adds nothing (each
    completion and each ledger entry exists once)."""
    today = today or timezone.now().astimezone(UTC).date()
    open_ = Challenge.objects.filter(
        archived=False, starts_on__lte=today, ends_on__gte=today - GRACE
    ).filter(Q(scope=ChallengeScope.INDIVIDUAL) | Q(completed_at__isnull=True))
    checked = rewarded = 0
    for challenge_id in open_.values_list("pk", flat=True):
        with transaction.atomic():
            # The challenge's row only: PostgreSQL cannot lock the nullable side of the
            # outer join to a campaign.
            challenge = (
                Challenge.objects.select_for_update(of=("self",))
                .select_related("program__organisation", "campaign")
                .get(pk=challenge_id)
            )
            rewarded += _reward(challenge)
            checked += 1
    return {"checked": checked, "rewarded": rewarded}


@dataclass
class CampaignFigures:
    campaign: Campaign
    human_clicks: int
    conversions: int
    applications: int

    @property
    def clicks_percent(self) -> int | None:
        return _percent(self.human_clicks, self.campaign.goal_human_clicks)

    @property
    def clicks_bar(self) -> int:
        return min(self.human_clicks, self.campaign.goal_human_clicks)

    @property
    def conversions_percent(self) -> int | None:
        return _percent(self.conversions, self.campaign.goal_conversions)

    @property
    def conversions_bar(self) -> int:
        return min(self.conversions, self.campaign.goal_conversions or 0)


def campaign_figures(campaign: Campaign) -> CampaignFigures:
    """Human clicks and conversions of the campaign's items on the campaign's days."""
    organisation_id = campaign.program.organisation_id
    items = campaign.items.values("pk")
    clicks = DailyLinkStats.objects.filter(
        link__organisation_id=organisation_id,
        link__content_item_id__in=items,
        day__gte=campaign.starts_on,
        day__lte=campaign.ends_on,
    ).aggregate(n=Sum("human_clicks"))["n"]
    outcomes = Conversion.objects.filter(
        organisation_id=organisation_id,
        content_item_id__in=items,
        occurred_at__gte=_start(campaign.starts_on),
        occurred_at__lt=_start(campaign.ends_on + timedelta(1)),
    ).aggregate(n=Count("pk"), applications=Count("pk", filter=Q(kind=ConversionKind.APPLICATION)))
    return CampaignFigures(campaign, clicks or 0, outcomes["n"], outcomes["applications"])
