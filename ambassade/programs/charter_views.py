"""What the charter pages add to the console: the Markdown texts to start from, a rendered
preview (a "Preview" button without JavaScript, live with it), who must accept the new
version, and reminding them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ambassade.core.authz import require
from ambassade.programs import actions, charter
from ambassade.programs.forms import CharterForm
from ambassade.programs.models import CharterVersion, Enrolment, Program

PREVIEW_LIMIT = 50_000  # the API's limit on a charter's text


def _program(request: HttpRequest, program_id: int) -> Program:
    return get_object_or_404(Program, organisation=request.actor.organisation, pk=program_id)  # type: ignore[attr-defined]


def initial_texts(version: CharterVersion | None) -> dict[str, str]:
    """A new version starts from the last one as written, or from the required sections
    in each language's own words."""
    if version is None:
        return {"body_fr": charter.template_source("fr"), "body_en": charter.template_source("en")}
    return {"body_fr": version.source_for("fr"), "body_en": version.source_for("en")}


def wants_preview(request: HttpRequest) -> bool:
    return request.method == "POST" and "preview" in request.POST


def page_context(
    request: HttpRequest, program: Program, form: CharterForm | None
) -> dict[str, Any]:
    context: dict[str, Any] = {"must_reaccept": actions.must_reaccept(program)}
    if form is not None and wants_preview(request) and form.is_valid():
        context["preview"] = {
            "fr": charter.render(form.cleaned_data["body_fr"]),
            "en": charter.render(form.cleaned_data["body_en"]),
        }
    return context


@require_POST
@require("charter.manage")
def charter_preview(request: HttpRequest, program_id: int) -> HttpResponse:
    """The rendered text, for the live preview (charter_preview.js)."""
    _program(request, program_id)
    text = request.POST.get("text", "")[:PREVIEW_LIMIT]
    rendered = charter.render(text)
    if not rendered:
        rendered = format_html('<p class="muted">{}</p>', _("Nothing to show yet."))
    return HttpResponse(rendered, content_type="text/html; charset=utf-8")


@require_POST
@require("charter.manage")
def charter_remind(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    program = _program(request, program_id)
    chosen = request.POST.get("enrolment", "")
    ids = None
    if chosen:
        pk = int(chosen) if chosen.isdigit() else 0
        enrolment = get_object_or_404(Enrolment, program=program, pk=pk)
        ids = [enrolment.pk]
    reminded, skipped = actions.remind_to_reaccept(actor, program, ids)
    if reminded:
        messages.success(
            request,
            ngettext(
                "Reminder sent to %(count)d person.",
                "Reminder sent to %(count)d people.",
                reminded,
            )
            % {"count": reminded},
        )
    if skipped:
        messages.info(
            request,
            ngettext(
                "%(count)d person was already reminded less than a day ago.",
                "%(count)d people were already reminded less than a day ago.",
                skipped,
            )
            % {"count": skipped},
        )
    if not reminded and not skipped:
        messages.info(request, _("Nobody has to accept the charter again."))
    return redirect("programs:charter", program.pk)
