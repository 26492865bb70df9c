"""Demo rewards: a small catalogue kept by marketing, and requests at each step of their
way, so that the person's page and the fulfilment queue show something.

The printed ambassador gets welcome points (an audited correction by HR, as a real
organisation would start its programme), has a mug already sent and a sweatshirt
waiting for approval; a colleague's request waits too.
"""

from __future__ import annotations

from ambassade.core.authz import actor_for_person
from ambassade.core.demo import DemoContext, demo_step
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment
from ambassade.recognition import ledger, rewards

CATALOGUE = [
    ("Mug Verdier", "Un mug en grès aux couleurs de l’entreprise.", 30, 25),
    ("Sweat à capuche", "Taille au choix : précisez-la dans votre demande.", 120, 10),
    ("Billets pour le salon de l’industrie", "Deux entrées, en mars à Lyon.", 200, 0),
    ("Une journée de formation au choix", "Parmi le catalogue du service formation.", 400, 3),
]


def _person(email: str) -> Person | None:
    return Person.objects.filter(email=email).first()


@demo_step(62)
def reward_catalogue(context: DemoContext) -> None:
    marketer = _person("marketing@verdier.example")
    hr = _person("rh@verdier.example")
    comms = _person("comms@verdier.example")
    ambassador = _person("ambassadeur@verdier.example")
    if marketer is None or hr is None or comms is None or ambassador is None:
        return
    made = [
        rewards.create_reward(
            actor_for_person(marketer), name=name, description=text, cost=cost, stock=stock
        )
        for name, text, cost, stock in CATALOGUE
    ]
    mug, sweatshirt = made[0], made[1]
    if not rewards.is_eligible(ambassador, mug):
        return
    ledger.correct(actor_for_person(hr), ambassador, 200, "Points de bienvenue")
    sent = rewards.request_reward(actor_for_person(ambassador), mug, "Livraison au bureau")
    rewards.approve(actor_for_person(comms), sent, "Il part cette semaine.")
    rewards.mark_sent(actor_for_person(comms), sent)
    rewards.request_reward(actor_for_person(ambassador), sweatshirt, "Taille M")
    colleague = (
        Person.objects.filter(
            pk__in=Enrolment.objects.filter(
                program__organisation_id=ambassador.organisation_id,
                status=Enrolment.Status.ACTIVE,
            ).values("person_id")
        )
        .exclude(pk=ambassador.pk)
        .filter(employment_status=ambassador.employment_status)
        .order_by("pk")
        .first()
    )
    if colleague is not None:
        ledger.correct(actor_for_person(hr), colleague, 50, "Points de bienvenue")
        rewards.request_reward(actor_for_person(colleague), mug)
