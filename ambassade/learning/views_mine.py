"""The ambassador's pages: my path ("Learn"), a module's lesson, and a quiz attempt."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, require
from ambassade.learning import attempts, selectors
from ambassade.learning.forms import answers_from
from ambassade.learning.models import Attempt, Module, ModuleStatus
from ambassade.learning.quiz import questions_of
from ambassade.people.models import Person


def _person(request: HttpRequest) -> tuple[Actor, Person]:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    return actor, actor.person


def _published(person: Person, module_id: int) -> Module:
    return get_object_or_404(
        Module, organisation_id=person.organisation_id, status=ModuleStatus.PUBLISHED, pk=module_id
    )


@require("learning.take")
def path(request: HttpRequest) -> HttpResponse:
    _actor, person = _person(request)
    entries = selectors.path_of(person)
    return render(
        request,
        "learning/path.html",
        {
            "required": [entry for entry in entries if entry.required],
            "optional": [entry for entry in entries if not entry.required],
            "next": selectors.next_step(entries),
        },
    )


@require("learning.take")
def module(request: HttpRequest, module_id: int) -> HttpResponse:
    _actor, person = _person(request)
    found = _published(person, module_id)
    version = selectors.latest_version(found)
    if version is None:
        raise Http404
    language = translation.get_language() or "en"
    passes = selectors.last_passes(person, [found.pk])
    passed_at = passes.get(found.pk)
    expires_at = selectors.expiry_of(passed_at, found.refresher_months) if passed_at else None
    return render(
        request,
        "learning/module.html",
        {
            "module": found,
            "version": version,
            "title": version.title_for(language),
            "lesson": version.lesson_for(language),
            "passed_at": passed_at,
            "expires_at": expires_at,
            "refresher_due": expires_at is not None and expires_at <= timezone.now(),
            "attempts": Attempt.objects.filter(person=person, module=found)
            .exclude(submitted_at=None)
            .select_related("version")[:5],
        },
    )


@require_POST
@require("learning.take")
def start(request: HttpRequest, module_id: int) -> HttpResponse:
    actor, person = _person(request)
    found = _published(person, module_id)
    try:
        attempt = attempts.start_attempt(actor, found)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("learning:module", found.pk)
    return redirect("learning:attempt", attempt.pk)


@require("learning.take")
def attempt(request: HttpRequest, attempt_id: int) -> HttpResponse:
    actor, person = _person(request)
    found = get_object_or_404(
        Attempt.objects.select_related("version", "module"), person=person, pk=attempt_id
    )
    language = translation.get_language() or "en"
    questions = questions_of(found, language)
    errors: list[str] = []
    if request.method == "POST":
        try:
            found = attempts.submit_attempt(actor, found, answers_from(request.POST, questions))
        except ValidationError as error:
            errors = error.messages
            for question in questions:  # the ticks come back as they were
                ticked = set(request.POST.getlist(f"q{question.id}"))
                for choice in question.choices:
                    choice.chosen = str(choice.id) in ticked
        else:
            if found.passed:
                messages.success(
                    request, _("Passed with %(score)d%%. Well done.") % {"score": found.score}
                )
            return redirect("learning:attempt", found.pk)
    return render(
        request,
        "learning/attempt.html",
        {
            "attempt": found,
            "title": found.version.title_for(language),
            "questions": questions,
            "errors": errors,
        },
    )
