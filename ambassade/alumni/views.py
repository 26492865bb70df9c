"""The alumni directory (the alumni's own page and the console's) and ending someone's
alumni offer from the console (docs/decisions/0039-alumni-ambassadors.md)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ambassade.alumni import actions, selectors
from ambassade.alumni.forms import EndOfferForm, EntryForm
from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.people import actions as people_actions
from ambassade.people.models import Person


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


@require("alumni.directory_own")
def my_directory(request: HttpRequest) -> HttpResponse:
    """One's own entry, and the directory once listed (those listed see each other)."""
    actor = _actor(request)
    assert actor.person is not None
    entry = selectors.entry_of(actor.person)
    initial = {"listed": entry.listed, "current_role": entry.current_role} if entry else None
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_entry(actor, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("alumni:mine")
    listed = entry is not None and entry.listed
    entries = list(selectors.directory(actor.organisation)) if listed else []
    return render(
        request,
        "alumni/my_directory.html",
        {"form": form, "listed": listed, "entries": entries},
    )


@require("alumni.directory")
def console_directory(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    entries = list(selectors.directory(actor.organisation))
    return render(request, "alumni/console_directory.html", {"entries": entries})


@require("alumni.end_offer")
def end_offer(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = _actor(request)
    person = get_object_or_404(Person, organisation=actor.organisation, pk=person_id)
    form = EndOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people_actions.end_alumni_offer(actor, person, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("The alumni space of %(name)s is closed.") % {"name": person.full_name},
            )
            return redirect("people:person", person.pk)
    return render(
        request,
        "alumni/end_offer.html",
        {"person": person, "form": form, "is_alumni": people_actions.is_alumni_ambassador(person)},
    )
