"""Writing a module's quiz: single- and multiple-choice questions, their answers and the
feedback on each answer. Checked here, as the API and the pages send them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor
from ambassade.learning.actions import MAX_CHOICES, MAX_QUESTIONS, _manager, _own_module, _text
from ambassade.learning.models import Choice, Module, Question


def _clean_question(values: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    errors: dict[str, str] = {}
    question = {
        "text_fr": _text(
            values, "text_fr", 500, errors, needed=True, missing=_("Write the question in French.")
        ),
        "text_en": _text(
            values, "text_en", 500, errors, needed=True, missing=_("Write the question in English.")
        ),
        "multiple": values.get("multiple") is True,
    }
    raw = values.get("choices")
    choices: list[dict[str, Any]] = []
    if not isinstance(raw, list):
        raw = []
    if len(raw) > MAX_CHOICES:
        errors["choices"] = _("At most %(limit)d answers per question.") % {"limit": MAX_CHOICES}
    for position, given in enumerate(raw[:MAX_CHOICES]):
        given = given if isinstance(given, dict) else {}
        choice_errors: dict[str, str] = {}
        choice = {
            "text_fr": _text(given, "text_fr", 300, choice_errors, needed=True),
            "text_en": _text(given, "text_en", 300, choice_errors, needed=True),
            "feedback_fr": _text(given, "feedback_fr", 500, choice_errors, needed=False),
            "feedback_en": _text(given, "feedback_en", 500, choice_errors, needed=False),
            "correct": given.get("correct") is True,
            "position": position,
        }
        if choice_errors:
            errors.setdefault(
                "choices",
                _("Answer %(number)d: write it in French and in English (300 characters at most).")
                % {"number": position + 1},
            )
        choices.append(choice)
    right = sum(1 for choice in choices if choice["correct"])
    if "choices" not in errors:
        if len(choices) < 2:
            errors["choices"] = _("A question needs at least two answers to choose from.")
        elif right == 0:
            errors["choices"] = _("Mark at least one answer as right.")
        elif right > 1 and not question["multiple"]:
            errors["choices"] = _(
                "A single-choice question has one right answer: mark only one, or let "
                "people choose several."
            )
    if errors:
        raise ValidationError(errors)
    return question, choices


def _write_choices(question: Question, choices: list[dict[str, Any]]) -> None:
    question.choices.all().delete()
    Choice.objects.bulk_create([Choice(question=question, **choice) for choice in choices])


@transaction.atomic
def add_question(actor: Actor, module: Module, **values: Any) -> Question:
    _manager(actor)
    _own_module(actor, module)
    fields, choices = _clean_question(values)
    if module.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(
            _("A module has at most %(limit)d questions.") % {"limit": MAX_QUESTIONS}
        )
    last = module.questions.order_by("-position").first()
    question = Question.objects.create(
        module=module, position=(last.position + 1) if last else 0, **fields
    )
    _write_choices(question, choices)
    module.save(update_fields=["updated_at"])
    audit.record(
        "learning.question_added", organisation=actor.organisation, actor=actor, target=module
    )
    return question


@transaction.atomic
def change_question(actor: Actor, question: Question, **values: Any) -> Question:
    _manager(actor)
    _own_module(actor, question.module)
    fields, choices = _clean_question(values)
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    _write_choices(question, choices)
    question.module.save(update_fields=["updated_at"])
    audit.record(
        "learning.question_changed",
        organisation=actor.organisation,
        actor=actor,
        target=question.module,
    )
    return question


@transaction.atomic
def delete_question(actor: Actor, question: Question) -> None:
    _manager(actor)
    module = question.module
    _own_module(actor, module)
    question.delete()
    module.save(update_fields=["updated_at"])
    audit.record(
        "learning.question_deleted", organisation=actor.organisation, actor=actor, target=module
    )
