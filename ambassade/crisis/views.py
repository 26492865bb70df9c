"""The crisis in the console (start, update, end, timeline and its CSV) and the page every
signed-in person reads. Thin: the actions decide."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core import display
from ambassade.core.authz import Actor, require
from ambassade.crisis import actions, notices, selectors
from ambassade.crisis.forms import CrisisForm, UpdateForm, initial_of
from ambassade.crisis.models import Crisis


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _crisis(actor: Actor, crisis_id: int) -> Crisis:
    found = selectors.crisis_of(actor.organisation, crisis_id)
    if found is None:
        raise Http404
    return found


def _fail(form: Any, error: ValidationError) -> None:
    """An action's refusal shown next to its field, or above the form."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            target = field if field in form.fields else None
            if field == "ends_at":
                target = "end_day"
            elif field == "exempt":
                target = "spokespeople"
            for problem in problems:
                form.add_error(target, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


@require("crisis.manage")
def console(request: HttpRequest) -> HttpResponseBase:
    """The running crisis (or the form to start one), and the crises before."""
    actor = _actor(request)
    running = selectors.current(actor.organisation.pk)
    if running is not None:
        return crisis_page(request, running.pk)
    form = CrisisForm(request.POST or None, organisation=actor.organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.start_crisis(
                actor,
                name=data["name"],
                description=data["description"],
                to_do=data["to_do"],
                not_to_do=data["not_to_do"],
                ends_at=data.get("ends_at"),
                exempt=data["spokespeople"],
                at_start=data["at_start"],
                at_end=data["at_end"],
            )
        except ValidationError as error:
            _fail(form, error)
        else:
            messages.success(request, _("The crisis is started: everyone is told."))
            return redirect("crisis:console")
    return render(
        request,
        "crisis/console.html",
        {"form": form, "past": list(selectors.crises_of(actor.organisation)[:50])},
    )


@require("crisis.manage")
def crisis_page(request: HttpRequest, crisis_id: int) -> HttpResponse:
    """One crisis with its timeline; while it runs, the forms to update and end it."""
    actor = _actor(request)
    crisis = _crisis(actor, crisis_id)
    form = None
    if crisis.running:
        posted = request.POST if request.method == "POST" else None
        form = UpdateForm(posted, organisation=actor.organisation, initial=initial_of(crisis))
        if posted is not None and form.is_valid():
            data = form.cleaned_data
            try:
                actions.update_crisis(
                    actor,
                    crisis,
                    description=data["description"],
                    to_do=data["to_do"],
                    not_to_do=data["not_to_do"],
                    ends_at=data.get("ends_at"),
                    exempt=data["spokespeople"],
                    at_end=data["at_end"],
                )
            except ValidationError as error:
                _fail(form, error)
            else:
                messages.success(request, _("The crisis is updated."))
                return redirect("crisis:console")
    return render(
        request,
        "crisis/crisis.html",
        {
            "crisis": crisis,
            "form": form,
            "steps": list(selectors.timeline(crisis)),
            "to_do": notices.to_do(crisis),
            "not_to_do": notices.not_to_do(crisis),
        },
    )


@require_POST
@require("crisis.manage")
def end(request: HttpRequest, crisis_id: int) -> HttpResponse:
    actor = _actor(request)
    crisis = _crisis(actor, crisis_id)
    try:
        actions.end_crisis(actor, crisis)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The crisis is over: sharing is open again."))
    return redirect("crisis:crisis", crisis.pk)


@require("crisis.manage")
def timeline_csv(request: HttpRequest, crisis_id: int) -> HttpResponse:
    """The timeline for the post-mortem, one step a line, in the reader's language."""
    actor = _actor(request)
    crisis = _crisis(actor, crisis_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="crisis-{crisis.pk}-timeline.csv"'
    writer = csv.writer(response)
    writer.writerow([_("When"), _("Step"), _("Count"), _("Detail"), _("By")])
    for step in selectors.timeline(crisis):
        writer.writerow(
            [
                timezone.localtime(step.at).isoformat(timespec="seconds"),
                display.name("crisis_step", step.kind),
                "" if step.count is None else step.count,
                _csv_safe(step.detail),
                _csv_safe(step.actor_label),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """A cell a spreadsheet does not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@require("crisis.view")
def current(request: HttpRequest) -> HttpResponse:
    """What every signed-in person reads: the crisis, what to do and what not to do."""
    actor = _actor(request)
    crisis = selectors.current(actor.organisation.pk)
    return render(
        request,
        "crisis/current.html",
        {
            "crisis": crisis,
            "to_do": notices.to_do(crisis) if crisis else "",
            "not_to_do": notices.not_to_do(crisis) if crisis else "",
        },
    )
