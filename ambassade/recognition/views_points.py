"""Points pages: the person's own ("My points") and the console's rules of a program."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ambassade.core.authz import Actor, allowed, require
from ambassade.core.display import name
from ambassade.core.forms import add_action_errors
from ambassade.programs.models import Program
from ambassade.recognition import ledger, points, rules
from ambassade.recognition.models import RuleKind
from ambassade.recognition.rule_forms import RuleForm


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


@require("recognition.view_own")
def mine(request: HttpRequest) -> HttpResponse:
    person = _actor(request).person
    if person is None:
        raise Http404
    page = Paginator(points.entries_of(person), points.PAGE_SIZE).get_page(request.GET.get("page"))
    language = translation.get_language() or "en"
    return render(
        request,
        "recognition/points.html",
        {
            "balances": ledger.balances(person),
            "page": page,
            "lines": [points.line_of(entry, language) for entry in page.object_list],
        },
    )


@require("recognition.view")
def console(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    programs = Program.objects.filter(organisation=actor.organisation).order_by("name", "pk")
    return render(
        request,
        "recognition/console.html",
        {
            "programs": programs,
            "may_edit_rewards": allowed(actor, "recognition.manage"),
            "may_fulfil": allowed(actor, "recognition.fulfil"),
            "may_correct": allowed(actor, "recognition.correct"),
        },
    )


@require("recognition.view")
def program_rules(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = _actor(request)
    program = get_object_or_404(Program, organisation=actor.organisation, pk=program_id)
    can_manage = rules.may_manage(actor, program)
    found = ledger.rules_of(program)
    # In the order of the rules' names, whatever order the rows were made in.
    forms = {kind: RuleForm(rule=found[kind]) for kind in RuleKind.values if kind in found}
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        kind = request.POST.get("rule", "")
        if kind not in found:
            raise Http404
        form = RuleForm(request.POST, rule=found[kind])
        forms[kind] = form
        if form.is_valid():
            try:
                rules.update_rule(actor, program, kind, **_values(form))
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The rule “%(rule)s” is saved.") % {"rule": name("point_rule", kind)},
                )
                return redirect("recognition:rules", program.pk)
    return render(
        request,
        "recognition/rules.html",
        {
            "program": program,
            "can_manage": can_manage,
            "forms": [(kind, name("point_rule", kind), form) for kind, form in forms.items()],
        },
        status=422 if request.method == "POST" else 200,
    )


def _values(form: RuleForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "points": data["points"],
        "daily_cap": data.get("daily_cap"),
        "milestone": data.get("milestone"),
        "enabled": bool(data.get("enabled")),
    }
