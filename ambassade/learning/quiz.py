"""A quiz as a person sees it: the drawn questions in their language, without the right
answers while it is open, then each answer's feedback once submitted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ambassade.learning.models import Attempt


def _in(texts: dict[str, str], language: str) -> str:
    first, second = ("fr", "en") if language.startswith("fr") else ("en", "fr")
    return texts.get(first) or texts.get(second) or ""


@dataclass
class ChoiceView:
    id: int
    text: str
    chosen: bool = False
    correct: bool | None = None  # told only after submission, and only for chosen answers
    feedback: str = ""


@dataclass
class QuestionView:
    id: int
    text: str
    multiple: bool
    choices: list[ChoiceView] = field(default_factory=list)
    right: bool | None = None


def questions_of(attempt: Attempt, language: str) -> list[QuestionView]:
    """The attempt's questions in the order drawn; with the outcome once submitted."""
    pool = {question["id"]: question for question in attempt.version.questions}
    answers: dict[str, Any] = attempt.answers or {}
    submitted = attempt.submitted_at is not None
    shown = []
    for question_id in attempt.question_ids:
        question = pool[question_id]
        chosen = set(answers.get(str(question_id), []))
        expected = {c["id"] for c in question["choices"] if c["correct"]}
        view = QuestionView(
            id=question_id,
            text=_in(question["text"], language),
            multiple=question["multiple"],
            right=(chosen == expected) if submitted else None,
        )
        for choice in question["choices"]:
            picked = choice["id"] in chosen
            view.choices.append(
                ChoiceView(
                    id=choice["id"],
                    text=_in(choice["text"], language),
                    chosen=picked,
                    correct=choice["correct"] if submitted and picked else None,
                    feedback=_in(choice["feedback"], language) if submitted and picked else "",
                )
            )
        shown.append(view)
    return shown
