"""The ambassador's pages: report a problem, my reports, one report with its log; and the
screenshot, served to those who may see the report only. Thin: the actions decide."""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, may_handle_report, require
from ambassade.core.forms import add_action_errors
from ambassade.incidents import actions, selectors
from ambassade.incidents.forms import NoteForm, ReopenForm, ReportForm
from ambassade.incidents.models import ProblemReport, ReportStatus
from ambassade.people.models import Person
from ambassade.sharing import post_hooks
from ambassade.sharing.models import ShareTarget, TargetStatus
from ambassade.sharing.selectors import targets_of


def _person(request: HttpRequest) -> tuple[Actor, Person]:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    return actor, actor.person


def _post(person: Person, raw: str | None) -> ShareTarget | None:
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    found = targets_of(person).filter(pk=int(raw)).first()
    if found is None:
        raise Http404
    return found


@require("incidents.report")
def new(request: HttpRequest) -> HttpResponse:
    actor, person = _person(request)
    post = _post(person, request.GET.get("post") or request.POST.get("post"))
    form = ReportForm(request.POST or None, request.FILES or None, about_a_post=post is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("screenshot")
        try:
            report = actions.open_report(
                actor,
                kind=data["kind"],
                severity=data["severity"],
                description=data["description"],
                link=data["link"],
                screenshot=upload.read() if upload else None,
                target_id=post.pk if post else None,
                coach_may_delete=bool(data.get("coach_may_delete")),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("Your report is sent to your coach and to internal communications."),
            )
            return redirect("incidents:mine_detail", report.pk)
    return render(request, "incidents/new.html", {"form": form, "post": post})


@require("incidents.view")
def mine(request: HttpRequest) -> HttpResponse:
    _actor, person = _person(request)
    reports = list(
        ProblemReport.objects.filter(organisation_id=person.organisation_id, reporter=person)
        .select_related("target__share__item")
        .order_by("-opened_at", "-pk")[:100]
    )
    return render(request, "incidents/mine.html", {"reports": reports})


def context_of(actor: Actor, report: ProblemReport) -> dict[str, Any]:
    """What both pages of one report show: the report, its log, and what the actor may do."""
    target = report.target
    author = target is not None and actor.person is not None
    author = author and target.share.person_id == actor.person.pk  # type: ignore[union-attr]
    deletable = target is not None and target.status == TargetStatus.PUBLISHED
    if deletable and not author:
        deletable = post_hooks.permitted_by_others(actor, target)  # type: ignore[arg-type]
    return {
        "report": report,
        "entries": list(report.entries.select_related("actor").order_by("at", "pk")),
        "may_handle": may_handle_report(actor, report),
        "is_author": author,
        "deletable": deletable,
        "resolved": report.status == ReportStatus.RESOLVED,
        "note_form": NoteForm(),
        "reopen_form": ReopenForm(),
    }


@require("incidents.view")
def mine_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    actor, person = _person(request)
    report = selectors.report_for(actor, report_id)
    if report.reporter_id != person.pk:
        return redirect("incidents:detail", report.pk)
    return render(request, "incidents/mine_detail.html", context_of(actor, report))


@require_POST
@require("incidents.view")
def mine_act(request: HttpRequest, report_id: int, step: str) -> HttpResponse:
    """The reporter adds a note or reopens their report."""
    actor, _person_unused = _person(request)
    report = selectors.report_for(actor, report_id)
    try:
        if step == "note":
            actions.add_note(actor, report, request.POST.get("text", "")[:6000])
            messages.success(request, _("Your note is added."))
        elif step == "reopen":
            actions.reopen(actor, report, request.POST.get("reason", "")[:6000])
            messages.success(request, _("The report is reopened."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("incidents:mine_detail", report.pk)


@require("incidents.view")
def screenshot(request: HttpRequest, report_id: int) -> HttpResponseBase:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    report = selectors.report_for(actor, report_id)
    if not report.screenshot or not default_storage.exists(report.screenshot):
        raise Http404
    kind = mimetypes.guess_type(report.screenshot)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(report.screenshot), content_type=kind)
    response["Cache-Control"] = "private, no-store"
    return response
