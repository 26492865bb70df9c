"""The ambassador's pages: file a report, my reports, one of mine with its answer; and the
photo, served to the reporter and the report's owners only. Thin: the actions decide."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ambassade.core.authz import Actor, allowed, require
from ambassade.core.forms import add_action_errors
from ambassade.field import actions, routing
from ambassade.field.forms import ReportForm
from ambassade.field.models import FieldReport
from ambassade.people.models import Person


def _person(request: HttpRequest) -> tuple[Actor, Person]:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    if actor.person is None:
        raise Http404
    return actor, actor.person


def _mine(person: Person, report_id: int) -> FieldReport:
    report = FieldReport.objects.filter(
        organisation_id=person.organisation_id, reporter=person, pk=report_id
    ).first()
    if report is None:
        raise Http404
    return report


@require("field.report")
def new(request: HttpRequest) -> HttpResponse:
    actor, _person_unused = _person(request)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("photo")
        try:
            report = actions.file_report(
                actor,
                kind=data["kind"],
                text=data["text"],
                link=data["link"],
                photo=upload.read() if upload else None,
                may_contact=bool(data.get("may_contact")),
                personal_data=bool(data.get("personal_data")),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Thank you: your report is sent to the team it concerns."))
            return redirect("field:mine_detail", report.pk)
    return render(request, "field/new.html", {"form": form})


@require("field.report")
def mine(request: HttpRequest) -> HttpResponse:
    _actor, person = _person(request)
    reports = list(
        FieldReport.objects.filter(organisation_id=person.organisation_id, reporter=person)
        .only("pk", "kind", "status", "filed_at", "answered_at", "text")
        .order_by("-filed_at", "-pk")[:100]
    )
    return render(request, "field/mine.html", {"reports": reports})


@require("field.report")
def mine_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    _actor, person = _person(request)
    report = _mine(person, report_id)
    return render(request, "field/mine_detail.html", {"report": report})


@require("field.report")
def photo(request: HttpRequest, report_id: int) -> HttpResponseBase:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    report = FieldReport.objects.filter(organisation=actor.organisation, pk=report_id).first()
    if report is None:
        raise Http404
    mine = actor.person is not None and report.reporter_id == actor.person.pk
    owner = allowed(actor, "field.triage") and routing.may_triage(actor, report)
    if not (mine or owner) or not report.photo or not default_storage.exists(report.photo):
        raise Http404
    kind = mimetypes.guess_type(report.photo)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(report.photo), content_type=kind)
    response["Cache-Control"] = "private, no-store"
    return response
