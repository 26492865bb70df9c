"""Fixtures of the training tests: a program with its ambassador types, a supporter, a
module required of supporters with a two-question quiz, and helpers to pass it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ambassade.content.models import ContentItem, Kind, Status
from ambassade.core.authz import actor_for_person
from ambassade.learning import actions, attempts, questions
from ambassade.learning.models import Attempt, Module
from ambassade.programs.actions import ensure_default_types
from ambassade.programs.models import AmbassadorType, Enrolment, Program
from ambassade.sharing.tests.conftest import (  # noqa: F401 (fixtures of the gate's tests)
    account,
    enrolled,
    fake,
    no_quiet_hours,
)

QUESTIONS = [
    {
        "text_fr": "Qui possède votre compte LinkedIn ?",
        "text_en": "Who owns your LinkedIn account?",
        "multiple": False,
        "choices": [
            {
                "text_fr": "Vous",
                "text_en": "You",
                "correct": True,
                "feedback_fr": "Oui.",
                "feedback_en": "Yes: it stays yours.",
            },
            {
                "text_fr": "L'entreprise",
                "text_en": "The company",
                "correct": False,
                "feedback_fr": "Non.",
                "feedback_en": "No: your accounts stay yours.",
            },
        ],
    },
    {
        "text_fr": "Que mentionner en partageant ?",
        "text_en": "What do you mention when sharing?",
        "multiple": True,
        "choices": [
            {
                "text_fr": "Que vous êtes salarié",
                "text_en": "That you are an employee",
                "correct": True,
            },
            {"text_fr": "Vos propres mots", "text_en": "Your own words", "correct": True},
            {
                "text_fr": "Des chiffres confidentiels",
                "text_en": "Confidential figures",
                "correct": False,
                "feedback_en": "Never confidential figures.",
            },
        ],
    },
]


def send(client: Any, method: str, path: str, body: Any) -> Any:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def program(persona: Any) -> Program:
    ensure_default_types(persona.organisation)
    return Program.objects.create(organisation=persona.organisation, name="Marque employeur")


def enrol(program: Program, person: Any, kind: str = "supporter") -> Enrolment:
    found = AmbassadorType.objects.get(organisation=program.organisation, kind=kind)
    return Enrolment.objects.create(program=program, person=person, ambassador_type=found)


def make_module(hr: Any, *, network: str = "", kind: str = "supporter", **values: Any) -> Module:
    actor = actor_for_person(hr)
    module = actions.create_module(
        actor,
        title_fr="Nos règles de publication",
        title_en="Our publishing rules",
        lesson_fr="## Vos comptes\n\nIls restent **les vôtres**.",
        lesson_en="## Your accounts\n\nThey stay **yours**.",
        **values,
    )
    for question in QUESTIONS:
        questions.add_question(actor, module, **question)
    actions.add_requirement(actor, module, ambassador_type=kind, network=network)
    actions.publish_module(actor, module)
    return module


@pytest.fixture
def module(persona: Any, program: Program) -> Module:
    return make_module(persona.hr)


def right_answers(attempt: Attempt) -> dict[str, list[int]]:
    pool = {question["id"]: question for question in attempt.version.questions}
    return {
        str(qid): [c["id"] for c in pool[qid]["choices"] if c["correct"]]
        for qid in attempt.question_ids
    }


def pass_module(person: Any, module: Module) -> Attempt:
    actor = actor_for_person(person)
    attempt = attempts.start_attempt(actor, module)
    return attempts.submit_attempt(actor, attempt, right_answers(attempt))


@pytest.fixture
def item(program: Program) -> ContentItem:
    return ContentItem.objects.create(
        organisation=program.organisation,
        program=program,
        kind=Kind.ARTICLE,
        status=Status.PUBLISHED,
        title="Nouvelle usine à Lyon",
        url="https://verdier.example/news/lyon",
        language="fr",
        published_at=timezone.now() - timedelta(hours=1),
    )
