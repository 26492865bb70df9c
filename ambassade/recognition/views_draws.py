"""The prize draws' pages: the person's list under /me/, the working group's under
/console/, and the verification page any member of the organisation may read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.recognition import draw_procedure, draws, draws_selectors
from ambassade.recognition.forms_draws import DrawForm
from ambassade.recognition.models import Draw, DrawEntry, DrawStatus


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _first_error(error: ValidationError) -> str:
    return str(error.messages[0])


@require("recognition.view_own")
def mine(request: HttpRequest) -> HttpResponse:
    """The organisation's published and past draws, with my entries."""
    actor = _actor(request)
    found = list(
        Draw.objects.filter(organisation=actor.organisation).exclude(status=DrawStatus.DRAFT)[:100]
    )
    entered = set()
    if actor.person is not None:
        entered = set(
            DrawEntry.objects.filter(person=actor.person, draw__in=found).values_list(
                "draw_id", flat=True
            )
        )
    for draw in found:
        draw.is_open = draws.is_open(draw)  # type: ignore[attr-defined]
        draw.entered = draw.pk in entered  # type: ignore[attr-defined]
        draw.winner_lines = draws_selectors.winners(draw)  # type: ignore[attr-defined]
    return render(request, "recognition/draws_mine.html", {"draws": found, "statuses": DrawStatus})


@require_POST
@require("recognition.manage_own")
def entry(request: HttpRequest, draw_id: int, choice: str) -> HttpResponse:
    actor = _actor(request)
    if choice not in ("enter", "leave") or actor.person is None:
        raise Http404
    draw = get_object_or_404(draws_selectors.visible_to(actor), pk=draw_id)
    try:
        if choice == "enter":
            draws.enter(actor, draw)
        else:
            draws.leave(actor, draw)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.success(
            request,
            _("You have entered the draw.") if choice == "enter" else _("You left the draw."),
        )
    return redirect("recognition:draws")


@require("recognition.view_own")
def verification(request: HttpRequest, draw_id: int) -> HttpResponse:
    actor = _actor(request)
    draw = get_object_or_404(draws_selectors.visible_to(actor), pk=draw_id)
    return render(
        request,
        "recognition/draw_verification.html",
        {
            "draw": draw,
            "entrants": draws_selectors.entrants(draw),
            "checked": draw_procedure.verify(draw) if draw.seed else None,
            "procedure": draws_selectors.PROCEDURE,
        },
    )


@require("recognition.manage")
def console(request: HttpRequest) -> HttpResponse:
    """Every draw, and the form to create one (a draft until published)."""
    actor = _actor(request)
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draw = draws.create_draw(actor, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Draw created: publish it when its rules are ready."))
            return redirect("recognition:draw_edit", draw.pk)
    return render(
        request,
        "recognition/draws_console.html",
        {"draws": Draw.objects.filter(organisation=actor.organisation)[:200], "form": form},
    )


def _draw(actor: Actor, draw_id: int) -> Draw:
    return get_object_or_404(Draw, organisation=actor.organisation, pk=draw_id)


@require("recognition.manage")
def edit(request: HttpRequest, draw_id: int) -> HttpResponse:
    actor = _actor(request)
    draw = _draw(actor, draw_id)
    form = DrawForm(request.POST or None, initial=draws.values_of(draw))
    if request.method == "POST" and form.is_valid():
        try:
            draws.change_draw(actor, draw, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Draw saved."))
            return redirect("recognition:draw_edit", draw.pk)
    return render(
        request,
        "recognition/draw_edit.html",
        {
            "draw": draw,
            "form": form,
            "statuses": DrawStatus,
            "entrants": draw.entries.count(),
            "winner_lines": draws_selectors.winners(draw),
        },
    )


DECISIONS = {"publish": draws.publish, "draw": draws.draw_winners, "cancel": draws.cancel}
DONE = {
    "publish": _lazy("Draw published: its rules and the seed's hash are shown."),
    "draw": _lazy("Winners drawn: the seed is revealed for anyone to verify."),
    "cancel": _lazy("Draw cancelled."),
}


@require_POST
@require("recognition.manage")
def decide(request: HttpRequest, draw_id: int, decision: str) -> HttpResponse:
    actor = _actor(request)
    if decision not in DECISIONS:
        raise Http404
    draw = _draw(actor, draw_id)
    try:
        DECISIONS[decision](actor, draw)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.success(request, str(DONE[decision]))
    return redirect("recognition:draw_edit", draw.pk)
