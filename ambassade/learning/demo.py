"""Demo training: a short path in French and English with quizzes, and people at every
stage of it.

"Bien démarrer" and "Nos règles de publication" are required of every ambassador before
any share; "LinkedIn : soigner son profil" before connecting and sharing on LinkedIn. The
demo's named logins (the printed ambassador among them) passed all three, so they share at
once; the other enrolled people are spread over every stage: passed, one module left, a
failed attempt, not started, and a refresher due (a pass older than the rules' 12 months).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from ambassade.core.authz import actor_for_person
from ambassade.core.demo import DemoContext, demo_step
from ambassade.core.roles import Role
from ambassade.learning import actions, questions
from ambassade.learning.models import Attempt, Module, ModuleVersion
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment


def _choice(
    fr: str, en: str, correct: bool = False, fb_fr: str = "", fb_en: str = ""
) -> dict[str, Any]:
    return {
        "text_fr": fr,
        "text_en": en,
        "correct": correct,
        "feedback_fr": fb_fr,
        "feedback_en": fb_en,
    }


PATH: list[dict[str, Any]] = [
    {
        "title_fr": "Bien démarrer",
        "title_en": "Getting started",
        "lesson_fr": "## Pourquoi partager\n\nVos mots comptent plus que ceux de la marque. "
        "Partagez ce qui vous parle, **quand vous le voulez**.\n\n## Comment faire\n\n"
        "- choisissez un contenu dans le fil ;\n- écrivez quelques mots à vous ;\n"
        "- partagez ou programmez.",
        "lesson_en": "## Why share\n\nYour words count more than the brand's. Share what speaks "
        "to you, **when you want**.\n\n## How\n\n- pick an item in the feed;\n"
        "- write a few words of your own;\n- share or schedule.",
        "duration_minutes": 5,
        "pass_mark": 100,
        "questions": [
            {
                "text_fr": "Partager est-il obligatoire ?",
                "text_en": "Is sharing compulsory?",
                "multiple": False,
                "choices": [
                    _choice(
                        "Non, c'est volontaire",
                        "No, it is voluntary",
                        True,
                        "Oui : vous partagez quand vous le voulez.",
                        "Yes: you share when you want.",
                    ),
                    _choice(
                        "Oui, chaque semaine",
                        "Yes, every week",
                        False,
                        "Non : rien n'est imposé.",
                        "No: nothing is imposed.",
                    ),
                ],
            },
        ],
        "network": "",
    },
    {
        "title_fr": "Nos règles de publication",
        "title_en": "Our publishing rules",
        "lesson_fr": "## Vos comptes\n\nIls restent **les vôtres**.\n\n## Transparence\n\n"
        "Dites que vous travaillez chez Verdier. Jamais de chiffre confidentiel.",
        "lesson_en": "## Your accounts\n\nThey stay **yours**.\n\n## Transparency\n\n"
        "Say that you work at Verdier. Never a confidential figure.",
        "duration_minutes": 10,
        "pass_mark": 80,
        "questions_per_attempt": 2,
        "refresher_months": 12,
        "questions": [
            {
                "text_fr": "À qui appartient votre compte LinkedIn ?",
                "text_en": "Who owns your LinkedIn account?",
                "multiple": False,
                "choices": [
                    _choice("À moi", "Me", True, "Oui.", "Yes."),
                    _choice(
                        "À Verdier",
                        "Verdier",
                        False,
                        "Non : il reste le vôtre.",
                        "No: it stays yours.",
                    ),
                ],
            },
            {
                "text_fr": "Que mentionner en partageant ?",
                "text_en": "What do you mention?",
                "multiple": True,
                "choices": [
                    _choice("Que je travaille chez Verdier", "That I work at Verdier", True),
                    _choice("Des mots à moi", "Words of my own", True),
                    _choice(
                        "Le chiffre d'affaires du trimestre",
                        "This quarter's revenue",
                        False,
                        "Jamais de chiffre non publié.",
                        "Never an unpublished figure.",
                    ),
                ],
            },
            {
                "text_fr": "Un client vous interpelle en commentaire : que faire ?",
                "text_en": "A customer challenges you in a comment: what do you do?",
                "multiple": False,
                "choices": [
                    _choice(
                        "Je préviens mon coach",
                        "I tell my coach",
                        True,
                        "Oui : il sait qui répond.",
                        "Yes: they know who answers.",
                    ),
                    _choice(
                        "Je réponds seul tout de suite",
                        "I answer alone at once",
                        False,
                        "Mieux vaut passer le relais.",
                        "Better to hand it over.",
                    ),
                ],
            },
        ],
        "network": "",
    },
    {
        "title_fr": "LinkedIn : soigner son profil",
        "title_en": "LinkedIn: a profile that works",
        "lesson_fr": "## Photo et titre\n\nUne photo nette, un titre qui dit ce que vous faites.",
        "lesson_en": "## Photo and headline\n\nA clear photo, a headline that says what you do.",
        "duration_minutes": 8,
        "pass_mark": 100,
        "questions": [
            {
                "text_fr": "Que doit dire votre titre ?",
                "text_en": "What should your headline say?",
                "multiple": False,
                "choices": [
                    _choice("Ce que je fais", "What I do", True),
                    _choice(
                        "Rien",
                        "Nothing",
                        False,
                        "Un titre vide ne dit rien de vous.",
                        "An empty headline says nothing about you.",
                    ),
                ],
            },
        ],
        "network": "linkedin",
    },
]


def _build_modules(hr: Person) -> list[Module]:
    actor = actor_for_person(hr)
    modules = []
    for spec in PATH:
        values = {k: v for k, v in spec.items() if k not in ("questions", "network")}
        module = actions.create_module(actor, **values)
        for question in spec["questions"]:
            questions.add_question(actor, module, **question)
        actions.add_requirement(actor, module, network=spec["network"])
        actions.publish_module(actor, module)
        modules.append(module)
    return modules


def _attempt(person: Person, version: ModuleVersion, when: datetime, passed: bool) -> Attempt:
    ids = [question["id"] for question in version.questions][: version.drawn]
    return Attempt(
        organisation_id=person.organisation_id,
        person=person,
        module_id=version.module_id,
        version=version,
        question_ids=ids,
        answers={},
        score=100 if passed else 0,
        passed=passed,
        started_at=when - timedelta(minutes=6),
        submitted_at=when,
    )


@demo_step(42)
def training(context: DemoContext) -> None:
    rng = random.Random(context.seed * 7919 + 42)
    organisation = context.objects["organisation"]
    hr = (
        Person.objects.filter(organisation=organisation, role_assignments__role=Role.HR)
        .order_by("pk")
        .first()
    )
    if hr is None:
        return
    modules = _build_modules(hr)
    versions = [module.versions.get() for module in modules]
    named = {email for email, _password in context.logins}
    people = Person.objects.filter(
        pk__in=Enrolment.objects.filter(program__organisation=organisation).values("person_id")
    )
    now = timezone.now()
    attempts = []
    for person in people.order_by("pk"):
        stage = 0 if person.email in named else rng.choice([0, 0, 0, 0, 0, 0, 1, 2, 3, 4])
        when = now - timedelta(days=rng.randint(2, 90))
        if stage == 3:  # not started
            continue
        if stage == 4:  # passed the rules more than a year ago: a refresher is due
            attempts += [_attempt(person, v, now - timedelta(days=400), True) for v in versions]
            continue
        attempts.append(_attempt(person, versions[0], when, True))
        if stage == 1:  # the rules still to do
            continue
        if stage == 2:  # a failed try at the rules
            attempts.append(_attempt(person, versions[1], when, False))
            continue
        attempts += [_attempt(person, v, when + timedelta(hours=1), True) for v in versions[1:]]
    Attempt.objects.bulk_create(attempts, batch_size=2000)
