"""The boards' pages: mine (/me/recognition/boards/: my band always, the ranked boards
when the organisation shows them, my choices) and the working group's (/console/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, allowed, require
from ambassade.core.forms import add_action_errors
from ambassade.people.models import Person
from ambassade.recognition import boards, boards_actions
from ambassade.recognition.boards_forms import BoardsSettingForm, ChoicesForm, ExecutiveForm
from ambassade.recognition.ledger import profile_of
from ambassade.recognition.models import Profile, RecognitionSettings


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _window(request: HttpRequest, actor: Actor) -> tuple[boards.Window, str]:
    """The period asked for, or the default one with the reason when it is unknown."""
    try:
        period = boards.parse_period(request.GET.get("period"))
        error = ""
    except ValidationError as refused:
        period, error = boards.DEFAULT_PERIOD, refused.messages[0]
    return boards.window(actor.organisation, period), error


def _page(request: HttpRequest, template: str, context: dict[str, Any], error: str) -> HttpResponse:
    context["period_error"] = error
    context["periods"] = boards.PERIODS
    return render(request, template, context, status=400 if error else 200)


@require("recognition.view_own")
def mine(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    person = actor.person
    if person is None:
        raise Http404
    profile = profile_of(person)
    form = ChoicesForm(
        request.POST or None,
        initial={"on_boards": profile.on_boards, "show_badges": profile.show_badges},
    )
    can_choose = allowed(actor, "recognition.manage_own")
    if request.method == "POST" and can_choose and form.is_valid():
        try:
            boards_actions.set_choices(actor, **form.cleaned_data)
        except ValidationError as refused:
            add_action_errors(form, refused)
        else:
            messages.success(request, _("Your choices are saved."))
            return redirect("recognition:boards")
    span, error = _window(request, actor)
    ranked = boards.boards_mode(actor.organisation) == RecognitionSettings.Boards.RANKED
    members = boards.members_of(actor.organisation, span)
    context = {
        "band": boards.band_of(person, span, members),
        "boards": boards.boards(actor.organisation, span, members) if ranked else None,
        "window": span,
        "profile": profile,
        "form": form if can_choose else None,
        "me": person.pk,
    }
    return _page(request, "recognition/boards_mine.html", context, error)


def _console_context(actor: Actor, span: boards.Window, **forms: Any) -> dict[str, Any]:
    can_manage = allowed(actor, "recognition.manage")
    mode = boards.boards_mode(actor.organisation)
    return {
        "boards": boards.boards(actor.organisation, span),
        "window": span,
        "mode": mode,
        "can_manage": can_manage,
        "setting_form": forms.get("setting_form") or BoardsSettingForm(initial={"boards": mode}),
        "executive_form": forms.get("executive_form") or ExecutiveForm(),
        "executives": Profile.objects.filter(
            person__organisation=actor.organisation, executive=True
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name"),
    }


@require("recognition.view")
def console(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    span, error = _window(request, actor)
    return _page(request, "recognition/boards_console.html", _console_context(actor, span), error)


@require_POST
@require("recognition.manage")
def console_setting(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = BoardsSettingForm(request.POST)
    if form.is_valid():
        try:
            boards_actions.set_boards(actor, form.cleaned_data["boards"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("The boards setting is saved."))
            return redirect("recognition:console_boards")
    span = boards.window(actor.organisation, boards.DEFAULT_PERIOD)
    context = _console_context(actor, span, setting_form=form)
    return _page(request, "recognition/boards_console.html", context, "")


@require_POST
@require("recognition.manage")
def console_executive(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ExecutiveForm(request.POST)
    executive = request.POST.get("executive") != "no"
    if form.is_valid():
        person = Person.objects.filter(
            organisation=actor.organisation,
            email__iexact=form.cleaned_data["email"],
            anonymised_at__isnull=True,
        ).first()
        if person is None:
            form.add_error("email", _("Nobody of the organisation has this work e-mail."))
        else:
            boards_actions.set_executive(actor, person, executive)
            if executive:
                done = _("%(name)s is now on the executives' board.")
            else:
                done = _("%(name)s is back on the boards of everyone.")
            messages.success(request, done % {"name": person.full_name})
            return redirect("recognition:console_boards")
    span = boards.window(actor.organisation, boards.DEFAULT_PERIOD)
    context = _console_context(actor, span, executive_form=form)
    return _page(request, "recognition/boards_console.html", context, "")
