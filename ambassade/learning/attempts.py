"""Taking a quiz: an attempt draws its questions from the published version's pool; its
answers are checked, scored and kept with that version, once."""

from __future__ import annotations

import random
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit, events
from ambassade.core.authz import Actor
from ambassade.learning.actions import _own_module, _taker
from ambassade.learning.models import Attempt, Module, ModuleStatus


@transaction.atomic
def start_attempt(actor: Actor, module: Module) -> Attempt:
    """A new attempt, with its questions drawn from the latest version's pool."""
    person = _taker(actor)
    _own_module(actor, module)
    if module.status != ModuleStatus.PUBLISHED:
        raise ValidationError(_("This module is not published."))
    version = module.versions.order_by("-number").first()
    if version is None:
        raise ValidationError(_("This module is not published."))
    ids = [question["id"] for question in version.questions]
    drawn = random.SystemRandom().sample(ids, version.drawn)
    attempt = Attempt.objects.create(
        organisation=actor.organisation,
        person=person,
        module=module,
        version=version,
        question_ids=drawn,
    )
    audit.record(
        "learning.attempt_started", organisation=actor.organisation, actor=actor, target=attempt
    )
    return attempt


def _clean_answers(attempt: Attempt, answers: Any) -> dict[str, list[int]]:
    pool = {question["id"]: question for question in attempt.version.questions}
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Give the answers as question → chosen answers.")})
    cleaned: dict[str, list[int]] = {}
    for key, chosen in answers.items():
        question_id = int(key) if str(key).isdigit() else None
        if question_id is None or question_id not in attempt.question_ids:
            raise ValidationError(
                {"answers": _("Question %(id)s is not in this attempt.") % {"id": str(key)[:20]}}
            )
        question = pool[question_id]
        if not isinstance(chosen, list) or not all(
            isinstance(c, int) and not isinstance(c, bool) for c in chosen
        ):
            raise ValidationError({"answers": _("Give the chosen answers as a list of ids.")})
        known = {choice["id"] for choice in question["choices"]}
        if not set(chosen) <= known:
            raise ValidationError(
                {
                    "answers": _("An answer given is not one of question %(id)d's.")
                    % {"id": question_id}
                }
            )
        if not question["multiple"] and len(set(chosen)) > 1:
            raise ValidationError(
                {"answers": _("Question %(id)d takes one answer only.") % {"id": question_id}}
            )
        if chosen:
            cleaned[str(question_id)] = sorted(set(chosen))
    left = len(attempt.question_ids) - len(cleaned)
    if left:
        raise ValidationError(
            {"answers": _("Answer every question (%(left)d left).") % {"left": left}}
        )
    return cleaned


def score_of(attempt: Attempt, answers: dict[str, list[int]]) -> int:
    pool = {question["id"]: question for question in attempt.version.questions}
    right = 0
    for question_id in attempt.question_ids:
        expected = {c["id"] for c in pool[question_id]["choices"] if c["correct"]}
        if set(answers.get(str(question_id), [])) == expected:
            right += 1
    return round(100 * right / len(attempt.question_ids)) if attempt.question_ids else 0


def submit_attempt(actor: Actor, attempt: Attempt, answers: Any) -> Attempt:
    person = _taker(actor)
    if attempt.person_id != person.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update()
            .select_related("version", "module")
            .get(pk=attempt.pk)
        )
        if locked.submitted_at is not None:
            raise ValidationError(
                {"attempt": _("This attempt was already submitted: start a new one to try again.")}
            )
        cleaned = _clean_answers(locked, answers)
        locked.answers = cleaned
        locked.score = score_of(locked, cleaned)
        locked.passed = locked.score >= locked.version.pass_mark
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["answers", "score", "passed", "submitted_at"])
        audit.record(
            "learning.attempt_submitted",
            organisation=actor.organisation,
            actor=actor,
            target=locked,
            after={"score": locked.score, "passed": locked.passed},
        )
        if locked.passed:
            events.record(
                "learning.module_passed",
                actor.organisation,
                module_id=locked.module_id,
                version=locked.version.number,
                person_id=person.pk,
                score=locked.score,
            )
    return locked
