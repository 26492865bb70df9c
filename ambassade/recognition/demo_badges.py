"""Demo badges: the four milestones of the demo organisation, in its own (French) names,
awarded to those whose demo activity already earned them.

The demo's ledger entries are written in bulk (demo.py), not through ``ledger._insert``,
so this step runs the awarding once for everyone who earned points or took training.
"""

from __future__ import annotations

from django.db.models import Q

from ambassade.core.demo import DemoContext, demo_step
from ambassade.learning.models import Attempt
from ambassade.people.models import Person
from ambassade.recognition.badges import award_due
from ambassade.recognition.models import Badge, Criterion, LedgerEntry

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
    active = LedgerEntry.objects.filter(organisation=organisation).values("person_id")
    trained = Attempt.objects.filter(person__organisation=organisation, passed=True).values(
        "person_id"
    )
    people = Person.objects.filter(organisation=organisation).filter(
        Q(pk__in=active) | Q(pk__in=trained)
    )
    awarded = 0
    for person in people.order_by("pk"):
        awarded += len(award_due(person))
    context.objects["badges_awarded"] = awarded
