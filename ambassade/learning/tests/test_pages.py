"""The pages: HR writes and publishes a module in the console (field errors on bad input),
a supporter learns on the Learn page, fails, retries and passes; each persona against
Acme's module, question, requirement and attempt, and the outsider's 404."""

from __future__ import annotations

from typing import Any

import pytest

from ambassade.learning.models import Attempt, Module, Question, Requirement
from ambassade.learning.tests.conftest import enrol, right_answers

pytestmark = pytest.mark.django_db
MODULE = {
    "title_fr": "Bien démarrer",
    "title_en": "Getting started",
    "lesson_fr": "Bienvenue.",
    "lesson_en": "Welcome.",
    "video_url": "",
    "duration_minutes": "5",
    "pass_mark": "100",
    "questions_per_attempt": "0",
    "refresher_months": "",
    "image_alt": "",
}
QUESTION = {
    "text_fr": "Qui possède vos comptes ?",
    "text_en": "Who owns your accounts?",
    "choice_0_fr": "Moi",
    "choice_0_en": "Me",
    "choice_0_correct": "on",
    "choice_0_feedback_en": "Right: they stay yours.",
    "choice_1_fr": "L'entreprise",
    "choice_1_en": "The company",
    "choice_1_feedback_en": "No: they stay yours.",
}


def test_hr_writes_publishes_and_a_supporter_passes(persona, program, client_for) -> None:
    hr = client_for(persona.hr)
    assert hr.post("/console/learning/new", MODULE | {"pass_mark": "150"}).status_code == 200
    assert not Module.objects.exists()
    assert hr.post("/console/learning/new", MODULE).status_code == 302
    module = Module.objects.get()
    refused = hr.post(f"/console/learning/{module.pk}/publish").content.decode()
    assert "Add at least one question" in refused
    lonely = hr.post(
        f"/console/learning/{module.pk}/questions/new",
        {k: v for k, v in QUESTION.items() if not k.startswith("choice_1")},
    )
    assert "A question needs at least two answers" in lonely.content.decode()
    assert hr.post(f"/console/learning/{module.pk}/questions/new", QUESTION).status_code == 302
    assert (
        hr.post(
            f"/console/learning/{module.pk}/requirements",
            {"ambassador_type": "supporter", "network": "", "required": "yes"},
        ).status_code
        == 302
    )
    assert hr.post(f"/console/learning/{module.pk}/publish").status_code == 302
    page = hr.get(f"/console/learning/{module.pk}/").content.decode()
    assert "version 1 published" in page

    enrol(program, persona.ambassador)
    ambassador = client_for(persona.ambassador)
    learn = ambassador.get("/me/learning/").content.decode()
    assert "Getting started" in learn and f"/me/learning/{module.pk}/" in learn
    assert "Welcome." in ambassador.get(f"/me/learning/{module.pk}/").content.decode()
    started = ambassador.post(f"/me/learning/{module.pk}/quiz")
    attempt = Attempt.objects.get()
    assert started["Location"] == f"/me/learning/attempts/{attempt.pk}/"
    empty = ambassador.post(started["Location"], {})
    assert "Answer every question (1 left)." in empty.content.decode()
    [question] = attempt.version.questions
    wrong = question["choices"][1]["id"]
    ambassador.post(started["Location"], {f"q{question['id']}": str(wrong)})
    result = ambassador.get(started["Location"]).content.decode()
    assert "Not passed" in result and "No: they stay yours." in result
    retry = ambassador.post(f"/me/learning/{module.pk}/quiz")
    again = Attempt.objects.exclude(pk=attempt.pk).get()
    answers = right_answers(again)
    ambassador.post(retry["Location"], {f"q{k}": v for k, v in answers.items()})
    assert "Right: they stay yours." in ambassador.get(retry["Location"]).content.decode()
    assert (
        "All your required modules are passed." in ambassador.get("/me/learning/").content.decode()
    )
    console = hr.get("/console/learning/").content.decode()
    assert "Getting started" in console
    csv = hr.get("/console/learning/progress.csv").content.decode()
    assert csv.splitlines()[1].startswith("Getting started,Everyone concerned,1,1,100,")


def _objects(persona: Any, program: Any) -> dict[str, int]:
    from ambassade.learning.tests.conftest import make_module

    module = make_module(persona.hr)
    enrol(program, persona.ambassador)
    from ambassade.core.authz import actor_for_person
    from ambassade.learning import attempts

    attempt = attempts.start_attempt(actor_for_person(persona.ambassador), module)
    return {
        "module": module.pk,
        "question": Question.objects.filter(module=module).first().pk,
        "requirement": Requirement.objects.get(module=module).pk,
        "attempt": attempt.pk,
    }


MANAGERS = {"admin", "hr", "comms", "marketer"}


def test_each_persona_against_acmes_training(persona, program, client_for) -> None:
    ids = _objects(persona, program)
    console = [
        ("get", "/console/learning/{module}/", 200),
        ("get", "/console/learning/{module}/questions/new", 200),
        ("get", "/console/learning/{module}/questions/{question}/", 200),
    ]
    for name in [
        "admin",
        "marketer",
        "hr",
        "comms",
        "sales",
        "coach",
        "ambassador",
        "employee",
        "outsider",
    ]:
        client = client_for(getattr(persona, name))
        for method, path, ok in console:
            status = getattr(client, method)(path.format(**ids)).status_code
            expected = ok if name in MANAGERS else 404 if name == "outsider" else 403
            assert status == expected, (name, path)
        for path in (
            "/console/learning/{module}/publish",
            "/console/learning/{module}/remove",
            "/console/learning/{module}/image",
            "/console/learning/{module}/requirements",
            "/console/learning/{module}/questions/{question}/delete",
            "/console/learning/{module}/requirements/{requirement}/delete",
        ):
            if name not in MANAGERS:
                expected = 404 if name == "outsider" else 403
                assert client.post(path.format(**ids)).status_code == expected, (name, path)
        module_page = client.get("/me/learning/{module}/".format(**ids)).status_code
        assert module_page == (404 if name == "outsider" else 200), name
        attempt_page = client.get("/me/learning/attempts/{attempt}/".format(**ids)).status_code
        assert attempt_page == (200 if name == "ambassador" else 404), name
        start = client.post("/me/learning/{module}/quiz".format(**ids)).status_code
        assert start == (404 if name == "outsider" else 302), name
