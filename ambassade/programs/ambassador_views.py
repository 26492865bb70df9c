"""The ambassador's own program pages: invitations, the charter, visibility, report consent,
leaving."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import require
from ambassade.core.forms import add_action_errors
from ambassade.programs import actions, charter, selectors
from ambassade.programs.forms import AcceptForm, LeaveForm, ReviewForm
from ambassade.programs.models import Enrolment, Invitation, Program


def _mine(request: HttpRequest, model: type[Invitation] | type[Enrolment], pk: int) -> Any:
    """Someone else's invitation or enrolment does not exist, as far as this person knows."""
    person = request.actor.person  # type: ignore[attr-defined]
    if person is None:
        raise Http404
    return get_object_or_404(
        model.objects.select_related("program", "ambassador_type"), person=person, pk=pk
    )


def _user_agent(request: HttpRequest) -> str:
    return request.headers.get("User-Agent", "")


@require("enrolment.view_own")
def my_programs(request: HttpRequest) -> HttpResponse:
    person = request.actor.person  # type: ignore[attr-defined]
    if person is None:
        raise Http404
    enrolments = list(selectors.enrolments_of(person))
    return render(
        request,
        "programs/my_programs.html",
        {
            "current": [e for e in enrolments if e.is_current],
            "past": [e for e in enrolments if not e.is_current],
            "invitations": selectors.open_invitations_of(person),
            "joinable": selectors.joinable_programs(person),
        },
    )


@require_POST
@require("enrolment.manage_own")
def join(request: HttpRequest, program_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    program = get_object_or_404(
        Program, organisation=actor.organisation, pk=program_id, self_service=True
    )
    try:
        invitation = actions.request_to_join(actor, program)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("programs:mine")
    return redirect("programs:invitation", invitation.pk)


@require("enrolment.manage_own")
def invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    found: Invitation = _mine(request, Invitation, invitation_id)
    actions.mark_opened(actor, found)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if "decline" in request.POST:
                actions.decline_invitation(actor, found)
                messages.success(request, _("You declined the invitation. Nothing else changes."))
                return redirect("programs:mine")
            actions.accept_invitation(
                actor,
                found,
                charter_accepted=form.cleaned_data["accept_charter"],
                user_agent=_user_agent(request),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(
                request, _("Welcome to “%s”: you are now enrolled.") % found.program.name
            )
            return redirect("programs:mine")
    version = selectors.published_charter(found.program, found.ambassador_type.kind)
    return render(
        request,
        "programs/invitation.html",
        {
            "invitation": found,
            "version": version,
            "body": version.body_for(translation.get_language() or "en") if version else "",
            "form": form,
        },
    )


@require("enrolment.manage_own")
def reaccept(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    enrolment: Enrolment = _mine(request, Enrolment, enrolment_id)
    version = selectors.charter_of(enrolment)
    if enrolment.status != Enrolment.Status.PAUSED or version is None:
        messages.info(request, _("Your charter is up to date."))
        return redirect("programs:mine")
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reaccept_charter(
                actor,
                enrolment,
                charter_accepted=form.cleaned_data["accept_charter"],
                user_agent=_user_agent(request),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Thank you: you may share again."))
            return redirect("programs:mine")
    language = translation.get_language() or "en"
    previous = enrolment.accepted_version
    return render(
        request,
        "programs/reaccept.html",
        {
            "enrolment": enrolment,
            "version": version,
            "body": version.body_for(language),
            "changes": charter.changes(
                previous.body_for(language) if previous else "", version.body_for(language)
            ),
            "previous": previous,
            "form": form,
        },
    )


@require("enrolment.manage_own")
def leave(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    enrolment: Enrolment = _mine(request, Enrolment, enrolment_id)
    if not enrolment.is_current:
        messages.info(request, _("You have already left this program."))
        return redirect("programs:mine")
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.leave(
            actor,
            enrolment,
            anonymise_history=form.cleaned_data["history"] == Enrolment.History.ANONYMISED,
            disconnect_accounts=form.cleaned_data["disconnect_accounts"],
        )
        messages.success(
            request, _("You left “%s”. Thank you for your help.") % enrolment.program.name
        )
        return redirect("programs:mine")
    return render(request, "programs/leave.html", {"enrolment": enrolment, "form": form})


@require_POST
@require("enrolment.manage_own")
def visibility(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    enrolment: Enrolment = _mine(request, Enrolment, enrolment_id)
    visible = request.POST.get("individual_visibility") == "on"
    try:
        actions.set_visibility(actor, enrolment, visible=visible)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Managers may now see your individual figures.")
            if visible
            else _("Managers now see you only within team totals."),
        )
    return redirect("programs:mine")


@require_POST
@require("contributions.manage_own")
def report_consent(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    enrolment: Enrolment = _mine(request, Enrolment, enrolment_id)
    consent = request.POST.get("contribution_report_consent") == "on"
    try:
        actions.set_report_consent(actor, enrolment, consent=consent)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("HR and admins may now download your contribution report for your annual review.")
            if consent
            else _("Consent withdrawn: nobody can download your contribution report any more."),
        )
    return redirect("programs:mine")


@require("enrolment.manage_own")
def review(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    enrolment: Enrolment = _mine(request, Enrolment, enrolment_id)
    if not enrolment.needs_review:
        messages.info(request, _("Nothing to review in this program."))
        return redirect("programs:mine")
    form = ReviewForm(request.POST or None, enrolment=enrolment)
    if request.method == "POST" and form.is_valid():
        try:
            actions.confirm_review(
                actor, enrolment, ambassador_type=form.cleaned_data["ambassador_type"]
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Your ambassador type is confirmed."))
            return redirect("programs:mine")
    return render(request, "programs/review.html", {"enrolment": enrolment, "form": form})
