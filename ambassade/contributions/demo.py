"""Demo contributions: talks, articles and training logged by ambassadors by mission and by
the designated ambassador persona, and the report consent of about half the former.

Samuel Faure (ventes@verdier.example, by mission) has consented: his report downloads.
Hélène Roussel (rh@verdier.example, by mission) has not: hers is refused, while as HR
she may download Samuel's. Lucas Perrin (ambassadeur@verdier.example) is a designated
ambassador, whose type does not count in evaluation: his contributions show in his
influence indicator, and there is no report for him.
"""

from __future__ import annotations

import random
from datetime import timedelta

from ambassade.contributions.models import Contribution, Kind
from ambassade.core.demo import DemoContext, demo_step
from ambassade.core.models import AuditEvent
from ambassade.programs.models import AmbassadorKind, Enrolment

CONSENTING = "ventes@verdier.example"
NOT_CONSENTING = "rh@verdier.example"
DESIGNATED = "ambassadeur@verdier.example"
TITLES = {
    Kind.TALK: [
        "Table ronde « Recruter en industrie » au salon Industrie Lyon",
        "Intervention à l'école d'ingénieurs : nos métiers de la maintenance",
        "Webinaire clients : retour d'expérience Verdier Flow",
    ],
    Kind.ARTICLE: [
        "Article « Cinq idées reçues sur la vente B2B » sur le blog Verdier",
        "Tribune dans L'Usine Nouvelle sur la formation en alternance",
    ],
    Kind.EVENT: [
        "Stand Verdier au forum emploi de l'INSA",
        "Journée portes ouvertes du site de Saint-Étienne",
    ],
    Kind.TRAINING: [
        "Formation interne « Social selling, premiers pas »",
        "Atelier LinkedIn pour les nouveaux commerciaux",
    ],
    Kind.MENTORING: ["Parrainage de deux alternants"],
}
DESIGNATED_TITLES = [
    (Kind.TALK, "Conférence « Capteurs et maintenance prédictive » à SIDO Lyon"),
    (Kind.ARTICLE, "Article technique sur les revêtements basse friction"),
    (Kind.TRAINING, "Formation des techniciens au nouveau banc d'essai"),
]


@demo_step(35)
def contributions(context: DemoContext) -> None:
    # Its own generator: the steps after this one see the same random draws as before.
    rng = random.Random(context.seed * 7919 + 35)
    organisation = context.objects["organisation"]
    span = max(context.days, 120)
    mission = list(
        Enrolment.objects.filter(
            program__organisation=organisation,
            ambassador_type__kind=AmbassadorKind.MISSION,
            status__in=(Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED),
        )
        .select_related("person")
        .order_by("pk")
    )
    rows: list[Contribution] = []
    consenting: list[Enrolment] = []
    for enrolment in mission:
        email = enrolment.person.email
        if email == CONSENTING or (email != NOT_CONSENTING and rng.random() < 0.5):
            consenting.append(enrolment)
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(list(TITLES))
            rows.append(
                Contribution(
                    organisation=organisation,
                    person=enrolment.person,
                    program=enrolment.program,
                    kind=kind,
                    title=rng.choice(TITLES[kind]),
                    occurred_on=context.today - timedelta(days=rng.randint(1, span)),
                    audience=rng.choice(["", "120 participants", "Étudiants", "Clients"]),
                )
            )
    designated = Enrolment.objects.filter(
        program__organisation=organisation, person__email=DESIGNATED
    ).first()
    if designated is not None:
        rows += [
            Contribution(
                organisation=organisation,
                person=designated.person,
                program=None,
                kind=kind,
                title=title,
                occurred_on=context.today - timedelta(days=10 + 25 * index),
                url="https://verdier.example/blog" if kind == Kind.ARTICLE else "",
            )
            for index, (kind, title) in enumerate(DESIGNATED_TITLES)
        ]
    Contribution.objects.bulk_create(rows, batch_size=2000)
    Enrolment.objects.filter(pk__in=[e.pk for e in consenting]).update(
        contribution_report_consent=True
    )
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                organisation=organisation,
                actor_label=enrolment.person.full_name,
                action="enrolment.report_consent_changed",
                target_type=enrolment._meta.label_lower,
                target_id=str(enrolment.pk),
                target_label=str(enrolment)[:200],
                before={"contribution_report_consent": False},
                after={"contribution_report_consent": True},
                via="web",
            )
            for enrolment in consenting
        ],
        batch_size=2000,
    )
    context.progress(
        f"{len(rows)} contributions, report consent from {len(consenting)} "
        f"of {len(mission)} enrolments by mission"
    )
