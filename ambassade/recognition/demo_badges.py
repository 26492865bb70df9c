"""Demo badges: the four milestones of the demo organisation, in its own (French) names,
awarded to those whose demo activity already earned them.

The demo's ledger entries are written in bulk (demo.py), not through ``ledger._insert``,
so this step gives the badges in bulk too, by the criteria of badges.py: the demo's
history is not news, so no award records an event (nobody is told of them when the
worker starts).
"""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from ambassade.core.demo import DemoContext, demo_step
from ambassade.learning.models import Attempt
from ambassade.people.models import Person
from ambassade.recognition.badges import COUNTED, RECENT_SHARES, path_completed
from ambassade.recognition.models import Badge, BadgeAward, Criterion, LedgerEntry

DEFAULT_BADGES = [
    (
        "Première voix",
        "Un premier partage avec un message dans vos propres mots.",
        Criterion.FIRST_PERSONAL_SHARE,
        1,
    ),
    (
        "Dix en trois mois",
        "Dix partages sur les 90 derniers jours.",
        Criterion.SHARES_IN_90_DAYS,
        10,
    ),
    (
        "Premier contact",
        "Une première candidature ou demande venue de l'un de vos liens.",
        Criterion.FIRST_CONVERSION,
        1,
    ),
    (
        "Parcours terminé",
        "Tous les modules de formation obligatoires réussis.",
        Criterion.PATH_COMPLETED,
        1,
    ),
]


@demo_step(61)
def badges(context: DemoContext) -> None:
    organisation = context.objects["organisation"]
    Badge.objects.bulk_create(
        [
            Badge(
                organisation=organisation,
                name=name,
                description=description,
                criterion=criterion,
                threshold=threshold,
            )
            for name, description, criterion, threshold in DEFAULT_BADGES
        ],
        ignore_conflicts=True,
    )
    now = timezone.now()
    awards: list[BadgeAward] = []
    for badge in Badge.objects.filter(organisation=organisation, active=True):
        if badge.criterion == Criterion.PATH_COMPLETED:
            trained = Person.objects.filter(
                organisation=organisation,
                anonymised_at__isnull=True,
                pk__in=Attempt.objects.filter(passed=True).values("person_id"),
            )
            people = [person.pk for person in trained if path_completed(person)]
        else:
            entries = LedgerEntry.objects.filter(
                organisation=organisation, reason=COUNTED[badge.criterion]
            )
            if badge.criterion == Criterion.SHARES_IN_90_DAYS:
                entries = entries.filter(occurred_at__gte=now - RECENT_SHARES)
            people = list(
                entries.values("person_id")
                .annotate(times=Count("pk"))
                .filter(times__gte=badge.threshold)
                .values_list("person_id", flat=True)
            )
        awards += [BadgeAward(badge=badge, person_id=person, awarded_at=now) for person in people]
    made = BadgeAward.objects.bulk_create(awards, batch_size=2000, ignore_conflicts=True)
    context.objects["badges_awarded"] = len(made)
