"""Demo coaching: Claire Besson (coach@verdier.example) coaches Lucas Perrin
(ambassadeur@verdier.example) and a group of R&D and Ventes ambassadors; a few threads
answered, Lucas's latest question still open, two profile reviews (one given, one asked)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from ambassade.coaching.checklist import ITEMS
from ambassade.coaching.models import (
    ChecklistTick,
    CoachAssignment,
    CoachCapacity,
    ProfileReview,
    Question,
    Reply,
    ReviewVerdict,
)
from ambassade.core.demo import DemoContext, demo_step
from ambassade.core.roles import Role
from ambassade.people.models import EmploymentStatus, Person

COACH = "coach@verdier.example"
AMBASSADOR = "ambassadeur@verdier.example"
GROUP_SIZE = 12
THREADS = [
    (
        "Un client a commenté mon post sur Verdier Flow en posant une question technique : "
        "je lui réponds en public ou en message privé ?",
        "En public, une phrase qui remercie et renvoie vers la fiche produit ; le détail "
        "technique en message privé.",
        timedelta(hours=3),
    ),
    (
        "Est-ce que je peux partager la photo de l'équipe prise au salon ?",
        "Oui, si chacun a donné son accord pour la photo : demande-le dans le fil de l'équipe.",
        timedelta(hours=20),
    ),
    (
        "Combien de fois par semaine publier sans lasser mon réseau ?",
        "Deux fois est un bon rythme ; mieux vaut un avis personnel qu'un partage sans mot.",
        timedelta(minutes=50),
    ),
]
OPEN_QUESTION = (
    "Mon titre LinkedIn dit « Ingénieur R&D » : comment le rendre plus parlant sans en faire trop ?"
)


@demo_step(55)
def coaching(context: DemoContext) -> None:
    rng = random.Random(context.seed * 7919 + 55)
    organisation = context.objects["organisation"]
    people = {p.email: p for p in Person.objects.filter(email__in=[COACH, AMBASSADOR])}
    coach, lucas = people.get(COACH), people.get(AMBASSADOR)
    if coach is None or lucas is None:
        return
    group = list(
        Person.objects.filter(
            organisation=organisation,
            role_assignments__role=Role.AMBASSADOR,
            employment_status=EmploymentStatus.ACTIVE,
            department__name__in=["R&D", "Ventes"],
        )
        .exclude(pk__in=[coach.pk, lucas.pk])
        .order_by("id")[:GROUP_SIZE]
    )
    CoachCapacity.objects.create(organisation=organisation, coach=coach, capacity=25)
    CoachAssignment.objects.bulk_create(
        [
            CoachAssignment(organisation=organisation, coach=coach, ambassador=person)
            for person in [lucas, *group]
        ]
    )
    now = timezone.now()
    askers = [lucas, *group[:2]]
    for index, (text, answer, delay) in enumerate(THREADS):
        asked_at = now - timedelta(days=3 + 4 * index, hours=rng.randint(0, 8))
        question = Question.objects.create(
            organisation=organisation, ambassador=askers[index % len(askers)], text=text
        )
        Reply.objects.create(question=question, author=coach, text=answer)
        Question.objects.filter(pk=question.pk).update(
            asked_at=asked_at,
            first_answered_at=asked_at + delay,
            first_answered_by=coach,
            last_message_at=asked_at + delay,
            status=Question.Status.CLOSED if index else Question.Status.OPEN,
            closed_at=asked_at + delay if index else None,
        )
        Reply.objects.filter(question=question).update(sent_at=asked_at + delay)
    open_question = Question.objects.create(
        organisation=organisation, ambassador=lucas, text=OPEN_QUESTION
    )
    Question.objects.filter(pk=open_question.pk).update(
        asked_at=now - timedelta(hours=5), last_message_at=now - timedelta(hours=5)
    )
    # Lucas ticked most of his LinkedIn checklist; Claire reviewed it. Someone of the
    # group asked for a review of their Bluesky profile, waiting for her.
    ChecklistTick.objects.bulk_create(
        [ChecklistTick(person=lucas, network="linkedin", item=code) for code in list(ITEMS)[:5]]
    )
    done = ProfileReview.objects.create(
        organisation=organisation,
        person=lucas,
        network="linkedin",
        status=ProfileReview.Status.DONE,
        reviewed_at=now - timedelta(days=2),
        reviewed_by=coach,
    )
    ReviewVerdict.objects.bulk_create(
        [
            ReviewVerdict(
                review=done,
                item=code,
                verdict=ReviewVerdict.Verdict.IMPROVE
                if code == "headline"
                else ReviewVerdict.Verdict.OK,
                comment="Dis ce que tu apportes, pas seulement ton poste."
                if code == "headline"
                else "",
            )
            for code in ITEMS
        ]
    )
    if group:
        ProfileReview.objects.create(organisation=organisation, person=group[0], network="bluesky")
    context.progress(f"{len(group) + 1} ambassadors coached, {len(THREADS) + 1} questions")
