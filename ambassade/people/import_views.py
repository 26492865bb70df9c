"""CSV import of people: upload, preview line by line, then apply or discard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.people import actions, imports
from ambassade.people.forms import ImportApplyForm, ImportUploadForm
from ambassade.people.models import ImportStatus, PeopleImport


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def import_of(actor: Actor, import_id: int) -> PeopleImport:
    return get_object_or_404(PeopleImport, organisation=actor.organisation, pk=import_id)


@require("people.import")
def upload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        if uploaded.size > imports.MAX_BYTES:
            # Refused before reading it into memory.
            form.add_error("file", _("The file is larger than 5 MB. Split it into several files."))
        else:
            try:
                people_import = actions.preview_import(
                    actor, filename=uploaded.name, content=uploaded.read()
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                return redirect("people:import_preview", people_import.pk)
    history = PeopleImport.objects.filter(organisation=actor.organisation).defer("rows", "plan")[
        :20
    ]
    return render(
        request,
        "people/import_upload.html",
        {
            "form": form,
            "history": history,
            "columns": imports.COLUMNS,
            "max_lines": imports.MAX_LINES,
        },
    )


@require("people.import")
def preview(request: HttpRequest, import_id: int) -> HttpResponse:
    actor = _actor(request)
    people_import = import_of(actor, import_id)
    rows = people_import.plan
    shown = request.GET.get("show", "")
    if shown in {"create", "update", "unchanged", "error"}:
        rows = [row for row in rows if row["action"] == shown]
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "people/import_preview.html",
        {
            "people_import": people_import,
            "page": page,
            "shown": shown,
            "apply_form": ImportApplyForm(),
            "is_preview": people_import.status == ImportStatus.PREVIEW,
        },
    )


@require_POST
@require("people.import")
def apply(request: HttpRequest, import_id: int) -> HttpResponse:
    actor = _actor(request)
    people_import = import_of(actor, import_id)
    form = ImportApplyForm(request.POST)
    only_valid = form.is_valid() and form.cleaned_data["only_valid"]
    try:
        counts = actions.apply_import(actor, people_import, only_valid=only_valid)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Import applied: %(create)d created, %(update)d updated, %(unchanged)d unchanged.")
            % counts,
        )
    return redirect("people:import_preview", people_import.pk)


@require_POST
@require("people.import")
def discard(request: HttpRequest, import_id: int) -> HttpResponse:
    actor = _actor(request)
    actions.discard_import(actor, import_of(actor, import_id))
    messages.success(request, _("The import was discarded; nothing was written."))
    return redirect("people:import_upload")
