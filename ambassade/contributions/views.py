"""Pages: my contributions (list, add, edit, delete), my report, and a person's report for HR."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ambassade.contributions import actions
from ambassade.contributions.forms import ContributionForm, ReportForm, add_errors
from ambassade.contributions.models import Contribution
from ambassade.contributions.report import (
    ReportRefused,
    ReportRequestError,
    build,
    default_period,
    parse_request,
)
from ambassade.core.authz import Actor, require
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program


def _person(request: HttpRequest) -> Person:
    person: Person | None = request.actor.person  # type: ignore[attr-defined]
    if person is None:
        raise Http404
    return person


def _mine(request: HttpRequest, contribution_id: int) -> Contribution:
    """Someone else's contribution does not exist, as far as this person knows."""
    return get_object_or_404(Contribution, person=_person(request), pk=contribution_id)


def _report_choices(person: Person) -> tuple[list[Enrolment], list[Enrolment]]:
    """(enrolments whose type counts in evaluation, those of them with the person's consent)."""
    counting = list(
        Enrolment.objects.filter(
            person=person,
            program__organisation_id=person.organisation_id,
            ambassador_type__counts_in_evaluation=True,
        )
        .select_related("program", "ambassador_type")
        .order_by("program__name", "pk")
    )
    return counting, [e for e in counting if e.contribution_report_consent]


def _report_form(consenting: list[Enrolment]) -> ReportForm:
    start, end = default_period()
    # Its own ids: the page also has the form that logs a contribution.
    return ReportForm(
        initial={"start": start, "end": end, "format": "pdf"},
        enrolments=consenting,
        auto_id="report-%s",
    )


@require("contributions.manage_own")
def mine(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    person = _person(request)
    form = ContributionForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_contribution(actor, **form.values())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Contribution logged. Thank you."))
            return redirect("contributions:mine")
    counting, consenting = _report_choices(person)
    context = {
        "form": form,
        "contributions": Contribution.objects.filter(person=person).select_related("program"),
        "counting": counting,
        "report_form": _report_form(consenting) if consenting else None,
    }
    return render(request, "contributions/mine.html", context)


@require("contributions.manage_own")
def edit(request: HttpRequest, contribution_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    contribution = _mine(request, contribution_id)
    form = ContributionForm(
        request.POST or None,
        person=contribution.person,
        initial=ContributionForm.initial_of(contribution),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_contribution(actor, contribution, **form.values())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Contribution saved."))
            return redirect("contributions:mine")
    return render(request, "contributions/edit.html", {"form": form, "contribution": contribution})


@require("contributions.manage_own")
def delete(request: HttpRequest, contribution_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    contribution = _mine(request, contribution_id)
    if request.method == "POST":
        actions.delete_contribution(actor, contribution)
        messages.success(request, _("Contribution deleted."))
        return redirect("contributions:mine")
    return render(request, "contributions/delete.html", {"contribution": contribution})


def _problem(request: HttpRequest, base: str, status: int, message: str, back: str) -> HttpResponse:
    context = {"base": base, "status": status, "message": message, "back": back}
    return render(request, "contributions/report_problem.html", context, status=status)


def _download(request: HttpRequest, person: Person, *, base: str, back: str) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    try:
        wanted = parse_request(request.GET)
    except ReportRequestError as error:
        return _problem(request, base, 400, error.message, back)
    program = get_object_or_404(Program, organisation=actor.organisation, pk=wanted.program_id)
    own = actor.person is not None and actor.person.pk == person.pk
    try:
        report = build(person, program, wanted.start, wanted.end, own=own)
    except ReportRefused as refusal:
        return _problem(request, base, 403, refusal.message, back)
    actions.record_report_download(
        actor, person, program, wanted.start, wanted.end, wanted.file_format
    )
    # reportlab (23 MB) is imported by the processes that make a report file, not by all.
    from ambassade.contributions import report_files

    return report_files.response(report, wanted.file_format)


@require("contributions.report_own")
def my_report(request: HttpRequest) -> HttpResponse:
    back = reverse("contributions:mine") + "#report"
    if "format" not in request.GET:
        return redirect(back)
    return _download(request, _person(request), base="base_ambassador.html", back=back)


@require("contributions.report")
def person_report(request: HttpRequest, person_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    person = get_object_or_404(Person, organisation=actor.organisation, pk=person_id)
    back = reverse("contributions:person_report", args=[person.pk])
    if "format" in request.GET:
        return _download(request, person, base="base_console.html", back=back)
    counting, consenting = _report_choices(person)
    context: dict[str, Any] = {
        "person": person,
        "counting": counting,
        "report_form": _report_form(consenting) if consenting else None,
    }
    return render(request, "contributions/person_report.html", context)
