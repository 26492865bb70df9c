"""The console's pages: modules (write, quiz, requirements, publish) and progress."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, allowed, require
from ambassade.core.forms import add_action_errors
from ambassade.learning import actions, progress, questions
from ambassade.learning.forms import ImageForm, ModuleForm, QuestionForm, RequirementForm
from ambassade.learning.models import Module, Question, Requirement
from ambassade.programs.selectors import ambassador_types

MAX_IMAGE_UPLOAD = 8_000_000


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _module(request: HttpRequest, module_id: int) -> Module:
    return get_object_or_404(Module, organisation=_actor(request).organisation, pk=module_id)


def _module_values(form: ModuleForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@require("learning.view")
def index(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    can_manage = allowed(actor, "learning.manage")
    modules = (
        Module.objects.filter(organisation=actor.organisation).prefetch_related("versions")
        if can_manage
        else Module.objects.none()
    )
    return render(
        request,
        "learning/console.html",
        {"modules": modules, "can_manage": can_manage, "progress": progress.build(actor)},
    )


@require("learning.view")
def progress_csv(request: HttpRequest) -> HttpResponse:
    report = progress.build(_actor(request))
    response = HttpResponse(progress.as_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training-progress.csv"'
    return response


@require("learning.manage")
def new(request: HttpRequest) -> HttpResponse:
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            module = actions.create_module(_actor(request), **_module_values(form))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Module created. Add its quiz, then publish it."))
            return redirect("learning:edit", module.pk)
    return render(request, "learning/new.html", {"form": form})


def _edit_context(request: HttpRequest, module: Module, **forms: Any) -> dict[str, Any]:
    types = ambassador_types(module.organisation)
    return {
        "module": module,
        "form": forms.get("form") or ModuleForm(initial=actions._values_of(module)),
        "image_form": forms.get("image_form") or ImageForm(),
        "requirement_form": forms.get("requirement_form") or RequirementForm(types=types),
        "publish_errors": forms.get("publish_errors", []),
        "questions": module.questions.prefetch_related("choices"),
        "requirements": module.requirements.select_related("ambassador_type"),
        "versions": module.versions.all()[:10],
    }


@require("learning.manage")
def edit(request: HttpRequest, module_id: int) -> HttpResponse:
    module = _module(request, module_id)
    form = ModuleForm(request.POST or None, initial=actions._values_of(module))
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_module(_actor(request), module, **_module_values(form))
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Module saved. Publish it to make the change live."))
            return redirect("learning:edit", module.pk)
    return render(request, "learning/edit.html", _edit_context(request, module, form=form))


@require_POST
@require("learning.manage")
def image(request: HttpRequest, module_id: int) -> HttpResponse:
    module = _module(request, module_id)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["image"]
        if upload.size > MAX_IMAGE_UPLOAD:
            form.add_error("image", _("The image is larger than 8 MB."))
        else:
            try:
                actions.set_image(_actor(request), module, upload.read())
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Image saved."))
                return redirect("learning:edit", module.pk)
    return render(request, "learning/edit.html", _edit_context(request, module, image_form=form))


@require_POST
@require("learning.manage")
def publish(request: HttpRequest, module_id: int) -> HttpResponse:
    module = _module(request, module_id)
    try:
        version = actions.publish_module(_actor(request), module)
    except ValidationError as error:
        context = _edit_context(request, module, publish_errors=error.messages)
        return render(request, "learning/edit.html", context, status=200)
    messages.success(request, _("Version %(number)d is published.") % {"number": version.number})
    return redirect("learning:edit", module.pk)


@require_POST
@require("learning.manage")
def remove(request: HttpRequest, module_id: int) -> HttpResponse:
    module = _module(request, module_id)
    outcome = actions.remove_module(_actor(request), module)
    if outcome == "deleted":
        messages.success(request, _("Draft module deleted."))
        return redirect("learning:index")
    messages.success(request, _("Module archived: it is no longer required nor shown."))
    return redirect("learning:edit", module.pk)


@require("learning.manage")
def question(request: HttpRequest, module_id: int, question_id: int | None = None) -> HttpResponse:
    module = _module(request, module_id)
    found = get_object_or_404(Question, module=module, pk=question_id) if question_id else None
    initial = QuestionForm.initial_of(found) if found else None
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if found is None:
                questions.add_question(_actor(request), module, **form.values())
            else:
                questions.change_question(_actor(request), found, **form.values())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect("learning:edit", module.pk)
    return render(
        request, "learning/question.html", {"module": module, "question": found, "form": form}
    )


@require_POST
@require("learning.manage")
def delete_question(request: HttpRequest, module_id: int, question_id: int) -> HttpResponse:
    module = _module(request, module_id)
    questions.delete_question(
        _actor(request), get_object_or_404(Question, module=module, pk=question_id)
    )
    messages.success(request, _("Question deleted."))
    return redirect("learning:edit", module.pk)


@require_POST
@require("learning.manage")
def add_requirement(request: HttpRequest, module_id: int) -> HttpResponse:
    module = _module(request, module_id)
    form = RequirementForm(request.POST, types=ambassador_types(module.organisation))
    if form.is_valid():
        try:
            actions.add_requirement(_actor(request), module, **form.values())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Saved: who takes this module."))
            return redirect("learning:edit", module.pk)
    context = _edit_context(request, module, requirement_form=form)
    return render(request, "learning/edit.html", context)


@require_POST
@require("learning.manage")
def remove_requirement(request: HttpRequest, module_id: int, requirement_id: int) -> HttpResponse:
    module = _module(request, module_id)
    found = get_object_or_404(Requirement, module=module, pk=requirement_id)
    actions.remove_requirement(_actor(request), found)
    messages.success(request, _("Requirement removed."))
    return redirect("learning:edit", module.pk)
