"""Saved segments: the named audiences used for invitations and content targeting."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import require
from ambassade.core.forms import add_action_errors
from ambassade.people import actions, audiences
from ambassade.people.audience_forms import SegmentForm
from ambassade.people.models import SavedSegment


def _segment_page(request: HttpRequest, segment: SavedSegment | None) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    organisation = actor.organisation
    initial = {"name": segment.name, **segment.criteria} if segment else None
    form = SegmentForm(request.POST or None, initial=initial, organisation=organisation)
    matching = None
    if request.method == "POST" and form.is_valid():
        if "count" in request.POST:
            matching = audiences.count(organisation, form.audience())
        else:
            try:
                saved = actions.save_segment(
                    actor,
                    name=form.cleaned_data["name"],
                    criteria=form.audience(),
                    segment=segment,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Segment “%s” saved.") % saved.name)
                return redirect("people:segments")
    segments = [
        (
            saved,
            audiences.count(organisation, saved.criteria),
            audiences.describe(organisation, saved.criteria),
        )
        for saved in SavedSegment.objects.filter(organisation=organisation)
    ]
    return render(
        request,
        "people/segments.html",
        {"form": form, "segment": segment, "segments": segments, "matching": matching},
    )


@require("audiences.manage")
def segments(request: HttpRequest) -> HttpResponse:
    return _segment_page(request, None)


@require("audiences.manage")
def edit_segment(request: HttpRequest, segment_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    segment = get_object_or_404(SavedSegment, organisation=actor.organisation, pk=segment_id)
    return _segment_page(request, segment)


@require_POST
@require("audiences.manage")
def delete_segment(request: HttpRequest, segment_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    segment = get_object_or_404(SavedSegment, organisation=actor.organisation, pk=segment_id)
    actions.delete_segment(actor, segment)
    messages.success(request, _("Segment “%s” deleted.") % segment.name)
    return redirect("people:segments")
