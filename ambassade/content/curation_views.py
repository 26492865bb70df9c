"""Sources and the curation inbox."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ambassade.content import curation_actions
from ambassade.content.forms import SourceForm, add_errors
from ambassade.content.models import CurationEntry, Source
from ambassade.core.authz import Actor, require


@require("content.edit")
def sources(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    form = SourceForm(request.POST or None, organisation_id=actor.organisation.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            curation_actions.add_source(
                actor,
                url=data["url"],
                title=data["title"],
                channel_id=data["channel"].pk if data["channel"] else None,
                program_id=data["program"].pk,
                trusted=data["trusted"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Source added: it will be read within a few minutes."))
            return redirect("content:sources")
    listed = Source.objects.filter(organisation=actor.organisation).select_related(
        "channel", "program"
    )
    return render(request, "content/sources.html", {"form": form, "sources": listed})


@require_POST
@require("content.edit")
def source_action(request: HttpRequest, source_id: int, action: str) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    source = get_object_or_404(Source, organisation=actor.organisation, pk=source_id)
    if action == "poll":
        added = curation_actions.poll_source(source)
        source.refresh_from_db()
        if source.last_error:
            messages.error(request, _("The source could not be read: %s") % source.last_error)
        else:
            messages.success(
                request,
                ngettext("%(count)s new entry.", "%(count)s new entries.", added)
                % {"count": added},
            )
    elif action in {"trust", "distrust"}:
        curation_actions.update_source(actor, source, trusted=action == "trust")
        messages.success(request, _("Source saved."))
    elif action in {"pause", "resume"}:
        curation_actions.update_source(actor, source, active=action == "resume")
        messages.success(request, _("Source saved."))
    elif action == "delete":
        curation_actions.delete_source(actor, source)
        messages.success(request, _("Source removed."))
    return redirect("content:sources")


@require("content.edit")
def inbox(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    entries = CurationEntry.objects.filter(
        organisation=actor.organisation, state=CurationEntry.State.NEW
    ).select_related("source", "source__channel")
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    return render(request, "content/inbox.html", {"page": page})


@require_POST
@require("content.edit")
def entry_action(request: HttpRequest, entry_id: int, action: str) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    entry = get_object_or_404(
        CurationEntry.objects.select_related("source"), organisation=actor.organisation, pk=entry_id
    )
    try:
        if action == "accept":
            item = curation_actions.accept_entry(
                actor,
                entry,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
            )
            messages.success(request, _("Accepted as a draft; its preview is being read."))
            if request.POST.get("then") == "edit":
                return redirect("content:edit", item.pk)
            return redirect("content:inbox")
        curation_actions.discard_entry(actor, entry)
        messages.success(request, _("Entry discarded."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("content:inbox")
