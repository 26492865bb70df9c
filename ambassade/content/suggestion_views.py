"""Employees' suggestions: the form in the ambassador space and the moderation queue."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.content import suggestion_actions
from ambassade.content.forms import ModerationForm, SuggestionForm, add_errors
from ambassade.content.models import Suggestion
from ambassade.core.authz import Actor, require
from ambassade.programs.models import Program


@require("suggestions.submit")
def suggest(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    form = SuggestionForm(request.POST or None, initial=shared_initial(request.GET))
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = suggestion_actions.submit_suggestion(actor, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if suggestion.state == Suggestion.State.ACCEPTED:
                messages.success(request, _("Thank you: published directly, as a trusted author."))
            else:
                messages.success(request, _("Thank you: the team will look at it."))
            return redirect("content:suggest")
    mine = Suggestion.objects.filter(author=actor.person)[:20]
    return render(request, "content/suggest.html", {"form": form, "mine": mine})


_URL_IN_TEXT = re.compile(r"https?://\S+")


def shared_initial(query: QueryDict) -> dict[str, str]:
    """What the phone's "Share" sheet sent (the manifest's share_target: title, text, url).

    Many apps put the link inside ``text`` rather than ``url``; it is taken from there,
    and what remains of the text becomes the suggestion's text.
    """
    url = query.get("url", "").strip()[:2048]
    text = query.get("text", "").strip()
    if not url:
        found = _URL_IN_TEXT.search(text) or _URL_IN_TEXT.search(query.get("title", ""))
        url = found.group(0)[:2048] if found else ""
    if url:
        text = text.replace(url, "").strip()
    initial = {}
    if url:
        initial["url"] = url
    if text:
        initial["text"] = text[:2000]
    return initial


@require("suggestions.moderate")
def moderation(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    pending = Suggestion.objects.filter(
        organisation=actor.organisation, state=Suggestion.State.PENDING
    ).select_related("author")
    recent = (
        Suggestion.objects.filter(organisation=actor.organisation)
        .exclude(state=Suggestion.State.PENDING)
        .select_related("author")[:20]
    )
    programs = Program.objects.filter(organisation=actor.organisation, status="active")
    return render(
        request,
        "content/moderation.html",
        {"pending": pending, "recent": recent, "programs": programs, "form": ModerationForm()},
    )


@require_POST
@require("suggestions.moderate")
def moderate(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    suggestion = get_object_or_404(Suggestion, organisation=actor.organisation, pk=suggestion_id)
    accept = request.POST.get("decision") == "accept"
    program_id = request.POST.get("program") or None
    try:
        suggestion_actions.moderate(
            actor,
            suggestion,
            accept=accept,
            response=request.POST.get("response", ""),
            program_id=int(program_id) if program_id and program_id.isdigit() else None,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("content:moderation")
    if accept and suggestion.item_id:
        messages.success(request, _("Accepted: a draft crediting the author was created."))
        return redirect("content:item", suggestion.item_id)
    messages.success(request, _("Not kept; the author is told."))
    return redirect("content:moderation")
