"""Training under /api/v1/learning/: modules and their quiz (HR, internal communications,
marketing), my path and my quiz attempts (everyone), and the progress report."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import File, Router, Status
from ninja.files import UploadedFile

from ambassade.core.api import ApiError, ErrorResponse, permit
from ambassade.core.api_types import Id
from ambassade.core.authz import Actor
from ambassade.learning import actions, attempts, progress, questions, selectors
from ambassade.learning.api_schemas import (
    AnswersIn,
    AttemptOut,
    LessonOut,
    ModuleDetailOut,
    ModuleIn,
    ModuleOut,
    ModulePatch,
    PathOut,
    ProgressOut,
    QuestionIn,
    QuizQuestionOut,
    RemovedOut,
    RequirementIn,
    RequirementOut,
    VersionOut,
)
from ambassade.learning.models import Attempt, Module, ModuleStatus, Question, Requirement
from ambassade.learning.quiz import questions_of
from ambassade.people.models import Person

router = Router(tags=["learning"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


def _manage(request: HttpRequest) -> Actor:
    return permit(request, "learning.manage")


def _taker(request: HttpRequest) -> tuple[Actor, Person]:
    actor = permit(request, "learning.take")
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor, actor.person


def _module(actor: Actor, module_id: int) -> Module:
    return get_object_or_404(Module, organisation=actor.organisation, pk=module_id)


def _module_out(module: Module) -> dict[str, Any]:
    latest = selectors.latest_version(module)
    from django.core.files.storage import default_storage

    return {
        **{name: getattr(module, name) for name in actions.MODULE_FIELDS},
        "id": module.pk,
        "image_url": default_storage.url(module.image) if module.image else "",
        "status": module.status,
        "version": latest.number if latest else None,
        "updated_at": module.updated_at,
    }


def _question_out(question: Question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "text_fr": question.text_fr,
        "text_en": question.text_en,
        "multiple": question.multiple,
        "choices": list(question.choices.all()),
    }


def _requirement_out(requirement: Requirement) -> dict[str, Any]:
    kind = requirement.ambassador_type
    return {
        "id": requirement.pk,
        "ambassador_type": kind.kind if kind else "",
        "network": requirement.network,
        "required": requirement.required,
    }


def _detail(module: Module) -> dict[str, Any]:
    return {
        **_module_out(module),
        "questions": [_question_out(q) for q in module.questions.prefetch_related("choices")],
        "requirements": [
            _requirement_out(r) for r in module.requirements.select_related("ambassador_type")
        ],
    }


def _attempt_out(attempt: Attempt) -> dict[str, Any]:
    language = translation.get_language() or "en"
    return {
        "id": attempt.pk,
        "module_id": attempt.module_id,
        "version": attempt.version.number,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score,
        "passed": attempt.passed,
        "pass_mark": attempt.version.pass_mark,
        "questions": [
            {**vars(question), "choices": [vars(choice) for choice in question.choices]}
            for question in questions_of(attempt, language)
        ],
    }


@router.get("/learning/modules", response={200: list[ModuleOut], **ERRORS})
def list_modules(request: HttpRequest) -> list[dict[str, Any]]:
    """Every training module of the organisation, drafts included."""
    actor = _manage(request)
    modules = Module.objects.filter(organisation=actor.organisation).prefetch_related("versions")
    return [_module_out(module) for module in modules[:500]]


@router.post("/learning/modules", response={201: ModuleDetailOut, **ERRORS})
def create_module(request: HttpRequest, payload: ModuleIn) -> Status:
    """A draft module: lessons in Markdown, French and English; publish it once its quiz
    is written."""
    actor = _manage(request)
    return Status(201, _detail(actions.create_module(actor, **payload.dict())))


@router.get("/learning/modules/{module_id}", response={200: ModuleDetailOut, **ERRORS})
def get_module(request: HttpRequest, module_id: Id) -> dict[str, Any]:
    """The module as edited, with its quiz (right answers included) and requirements."""
    return _detail(_module(_manage(request), module_id))


@router.patch("/learning/modules/{module_id}", response={200: ModuleDetailOut, **ERRORS})
def change_module(request: HttpRequest, module_id: Id, payload: ModulePatch) -> dict[str, Any]:
    """Only the fields sent change; the change is live once the module is published again."""
    actor = _manage(request)
    module = _module(actor, module_id)
    return _detail(actions.change_module(actor, module, **payload.dict(exclude_unset=True)))


@router.delete("/learning/modules/{module_id}", response={200: RemovedOut, **ERRORS})
def remove_module(request: HttpRequest, module_id: Id) -> dict[str, str]:
    """A module never published is deleted; a published one is archived (results kept)."""
    actor = _manage(request)
    return {"outcome": actions.remove_module(actor, _module(actor, module_id))}


@router.post("/learning/modules/{module_id}/image", response={200: ModuleDetailOut, **ERRORS})
def set_image(request: HttpRequest, module_id: Id, image: File[UploadedFile]) -> dict[str, Any]:
    """An image (JPEG, PNG, WebP or GIF, 8 MB at most), re-encoded without its metadata."""
    actor = _manage(request)
    module = _module(actor, module_id)
    if image.size is not None and image.size > 8_000_000:
        raise ApiError(422, "invalid", "The image is larger than 8 MB.", [{"field": "image"}])
    return _detail(actions.set_image(actor, module, image.read()))


@router.post("/learning/modules/{module_id}/publish", response={200: VersionOut, **ERRORS})
def publish_module(request: HttpRequest, module_id: Id) -> dict[str, Any]:
    """Freezes the module as a new version; 422 when its quiz is incomplete or nothing
    changed since the published version."""
    actor = _manage(request)
    version = actions.publish_module(actor, _module(actor, module_id))
    return {"module_id": module_id, "number": version.number, "published_at": version.published_at}


@router.post("/learning/modules/{module_id}/questions", response={201: QuizQuestionOut, **ERRORS})
def add_question(request: HttpRequest, module_id: Id, payload: QuestionIn) -> Status:
    """A single- or multiple-choice question: two answers at least, one right at least
    (exactly one for single choice), feedback per answer."""
    actor = _manage(request)
    question = questions.add_question(actor, _module(actor, module_id), **payload.dict())
    return Status(201, _question_out(question))


@router.put(
    "/learning/modules/{module_id}/questions/{question_id}",
    response={200: QuizQuestionOut, **ERRORS},
)
def change_question(
    request: HttpRequest, module_id: Id, question_id: Id, payload: QuestionIn
) -> dict[str, Any]:
    actor = _manage(request)
    question = get_object_or_404(Question, module=_module(actor, module_id), pk=question_id)
    return _question_out(questions.change_question(actor, question, **payload.dict()))


@router.delete(
    "/learning/modules/{module_id}/questions/{question_id}", response={204: None, **ERRORS}
)
def delete_question(request: HttpRequest, module_id: Id, question_id: Id) -> Status:
    actor = _manage(request)
    question = get_object_or_404(Question, module=_module(actor, module_id), pk=question_id)
    questions.delete_question(actor, question)
    return Status(204, None)


@router.post("/learning/modules/{module_id}/requirements", response={201: RequirementOut, **ERRORS})
def add_requirement(request: HttpRequest, module_id: Id, payload: RequirementIn) -> Status:
    """Who must (or may) take the module: an ambassador type (or every type), before any
    share or before connecting and sharing on one network."""
    actor = _manage(request)
    requirement = actions.add_requirement(actor, _module(actor, module_id), **payload.dict())
    return Status(201, _requirement_out(requirement))


@router.delete(
    "/learning/modules/{module_id}/requirements/{requirement_id}",
    response={204: None, **ERRORS},
)
def remove_requirement(request: HttpRequest, module_id: Id, requirement_id: Id) -> Status:
    actor = _manage(request)
    requirement = get_object_or_404(
        Requirement, module=_module(actor, module_id), pk=requirement_id
    )
    actions.remove_requirement(actor, requirement)
    return Status(204, None)


@router.get("/learning/me/path", response={200: PathOut, **ERRORS})
def my_path(request: HttpRequest) -> dict[str, Any]:
    """My published modules, required first, with what comes next."""
    _actor, person = _taker(request)
    entries = selectors.path_of(person)
    following = selectors.next_step(entries)
    return {
        "next_module_id": following.module.pk if following else None,
        "modules": [
            {
                "module_id": entry.module.pk,
                "title": entry.title,
                "required": entry.required,
                "networks": entry.networks,
                "state": entry.state,
                "passed_at": entry.passed_at,
                "expires_at": entry.expires_at,
                "last_score": entry.last_score,
                "duration_minutes": entry.version.duration_minutes,
            }
            for entry in entries
        ],
    }


def _published(person: Person, module_id: int) -> Module:
    return get_object_or_404(
        Module, organisation_id=person.organisation_id, status=ModuleStatus.PUBLISHED, pk=module_id
    )


@router.get("/learning/me/modules/{module_id}", response={200: LessonOut, **ERRORS})
def read_module(request: HttpRequest, module_id: Id) -> dict[str, Any]:
    """The published lesson, in my language (sanitised HTML)."""
    _actor, person = _taker(request)
    module = _published(person, module_id)
    version = selectors.latest_version(module)
    if version is None:
        raise ApiError(404, "not_found", "Not found.")
    from django.core.files.storage import default_storage

    language = translation.get_language() or "en"
    return {
        "module_id": module.pk,
        "version": version.number,
        "title": version.title_for(language),
        "lesson_html": version.lesson_for(language),
        "image_url": default_storage.url(version.image) if version.image else "",
        "image_alt": version.image_alt,
        "video_url": version.video_url,
        "duration_minutes": version.duration_minutes,
        "pass_mark": version.pass_mark,
        "questions_per_attempt": version.drawn,
    }


@router.post("/learning/me/modules/{module_id}/attempts", response={201: AttemptOut, **ERRORS})
def start_attempt(request: HttpRequest, module_id: Id) -> Status:
    """A new attempt with its questions drawn from the pool (the right answers untold)."""
    actor, person = _taker(request)
    attempt = attempts.start_attempt(actor, _published(person, module_id))
    return Status(201, _attempt_out(attempt))


def _my_attempt(person: Person, attempt_id: int) -> Attempt:
    return get_object_or_404(
        Attempt.objects.select_related("version"), person=person, pk=attempt_id
    )


@router.get("/learning/me/attempts/{attempt_id}", response={200: AttemptOut, **ERRORS})
def get_attempt(request: HttpRequest, attempt_id: Id) -> dict[str, Any]:
    """The attempt; once submitted, its score and each chosen answer's feedback."""
    _actor, person = _taker(request)
    return _attempt_out(_my_attempt(person, attempt_id))


@router.post("/learning/me/attempts/{attempt_id}/submit", response={200: AttemptOut, **ERRORS})
def submit_attempt(request: HttpRequest, attempt_id: Id, payload: AnswersIn) -> dict[str, Any]:
    """Every drawn question answered, once: 422 for a question not in the attempt, an
    answer not of its question, several answers to a single-choice question, or a
    second submission."""
    actor, person = _taker(request)
    attempt = attempts.submit_attempt(actor, _my_attempt(person, attempt_id), payload.answers)
    return _attempt_out(attempt)


@router.get("/learning/progress", response={200: ProgressOut, **ERRORS})
def training_progress(request: HttpRequest) -> dict[str, Any]:
    """Completion of the required modules, by department (small groups merged)."""
    actor = permit(request, "learning.view")
    report = progress.build(actor)

    def line(found: progress.Line) -> dict[str, Any]:
        return {
            "label": found.label,
            "concerned": found.concerned,
            "passed": found.passed,
            "rate": found.rate,
            "median_days": found.median_days,
        }

    return {
        "threshold": report.threshold,
        "modules": [
            {
                "module_id": module.module_id,
                "title": module.title,
                "total": line(module.total),
                "departments": [line(d) for d in module.departments],
                "withheld": module.withheld,
            }
            for module in report.modules
        ],
    }
