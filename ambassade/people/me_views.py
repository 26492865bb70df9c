"""The person's own lifecycle pages: self-assessment, my data, alumni offer, erasure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.people import actions
from ambassade.people.forms import AlumniForm, SelfAssessmentForm
from ambassade.people.models import SelfAssessment
from ambassade.people.person_views import zip_response


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


@require("self_assessment.fill")
def self_assessment(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    existing = SelfAssessment.objects.filter(person=actor.person).first()
    initial = (
        {
            "social_comfort": existing.social_comfort,
            "motivation": existing.motivation,
            "willingness_to_learn": existing.willingness_to_learn,
            "networks": existing.networks,
            "comment": existing.comment,
        }
        if existing
        else None
    )
    if request.method == "POST" and request.POST.get("withdraw"):
        actions.withdraw_self_assessment(actor)
        messages.success(request, _("Your answers are deleted."))
        return redirect("people:me")
    form = SelfAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_self_assessment(actor, form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Thank you: HR will see your answers."))
            return redirect("people:me")
    return render(request, "people/self_assessment.html", {"form": form, "existing": existing})


@require("personal_data.export_own")
def my_data(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    assert actor.person is not None
    return zip_response(actions.export_personal_data(actor, actor.person), actor.person)


@require("alumni.choose")
def alumni(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    person = actor.person
    assert person is not None
    is_open = actions.alumni_offer_open(person)
    initial = {"choice": "yes" if person.alumni else "no"} if person.alumni_answered_at else None
    form = AlumniForm(request.POST or None, initial=initial)
    if request.method == "POST" and is_open and form.is_valid():
        try:
            actions.choose_alumni(actor, form.cleaned_data["choice"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            if form.cleaned_data["choice"]:
                messages.success(request, _("Welcome to the alumni: thank you!"))
            else:
                messages.success(request, _("Your answer is saved. Thank you for everything."))
            return redirect("people:alumni")
    return render(
        request, "people/alumni.html", {"form": form, "person": person, "is_open": is_open}
    )


@require_POST
@require("personal_data.request_erasure")
def request_erasure(request: HttpRequest) -> HttpResponse:
    actions.request_erasure(_actor(request))
    messages.success(
        request, _("Your request is sent to the organisation's admins. They will erase your data.")
    )
    return redirect("people:me")
