"""The ambassador's pages: my coach and my questions, a thread, my profile checklist."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ambassade.coaching import access, actions, checklist, selectors
from ambassade.coaching.forms import AskForm
from ambassade.coaching.thread_page import Side, thread_page
from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    return actor


@require("coaching.ask")
def my_coach(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    assert actor.person is not None
    coach = selectors.coach_of(actor.person)
    form = AskForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("screenshot")
        try:
            question = actions.ask(
                actor, form.cleaned_data["text"], upload.read() if upload else None
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Your question is sent to your coach."))
            return redirect("coaching:thread", question.pk)
    questions = access.own_questions(actor).order_by("status", "-last_message_at", "-id")
    return render(
        request,
        "coaching/my_coach.html",
        {"coach": coach, "form": form, "questions": questions},
    )


@require("coaching.ask")
def thread(request: HttpRequest, question_id: int) -> HttpResponse:
    side = Side(
        "ambassador",
        "coaching:thread",
        "coaching:coach_thread",
        _("Your message is sent."),
        {
            "base": "base_ambassador.html",
            "close_url_name": "coaching:close",
            "back_url_name": "coaching:mine",
        },
    )
    return thread_page(request, question_id, side)


@require_POST
def close(request: HttpRequest, question_id: int) -> HttpResponse:
    """Closed by either side; each goes back to their own page of the thread."""
    actor = getattr(request, "actor", None)
    if actor is None or not request.user.is_authenticated:
        raise Http404
    question, side = access.readable_question(actor, question_id)
    actions.close(actor, question.pk)
    messages.success(request, _("The question is closed."))
    if side == "coach":
        return redirect("coaching:coach_thread", question.pk)
    return redirect("coaching:thread", question.pk)


@require_GET
def screenshot(request: HttpRequest, question_id: int) -> FileResponse:
    """The question's screenshot, to the ambassador and their coach only."""
    actor = getattr(request, "actor", None)
    if actor is None or not request.user.is_authenticated:
        raise Http404
    question, _side = access.readable_question(actor, question_id)
    if not question.screenshot or not default_storage.exists(question.screenshot):
        raise Http404
    content_type = "image/png" if question.screenshot.endswith(".png") else "image/jpeg"
    response = FileResponse(default_storage.open(question.screenshot), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require("coaching.ask")
def profile_checklist(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    assert actor.person is not None
    if request.method == "POST":
        network = request.POST.get("network", "")
        try:
            actions.save_checklist(actor, network, request.POST.getlist("items"))
            if "ask_review" in request.POST:
                actions.request_review(actor, network)
                messages.success(request, _("Your coach is asked to review this profile."))
            else:
                messages.success(request, _("Your checklist is saved."))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        anchor = f"#network-{network}" if network in checklist.NETWORKS else ""
        return redirect(f"{request.path}{anchor}")
    return render(
        request,
        "coaching/checklist.html",
        {
            "networks": checklist.checklist_of(actor.person),
            "coach": selectors.coach_of(actor.person),
        },
    )
