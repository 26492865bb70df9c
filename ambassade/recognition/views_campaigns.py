"""The console's campaign pages: the list of a program's campaigns, a campaign's figures
against its goals with its challenges' progress, and the challenge form; and the
ambassador's page of the challenges open to them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, allowed_on_program, require
from ambassade.core.forms import add_action_errors
from ambassade.programs.models import Program
from ambassade.recognition import campaigns as actions
from ambassade.recognition import participation, progress
from ambassade.recognition.forms_campaigns import CampaignForm, ChallengeForm
from ambassade.recognition.models import Campaign, Challenge


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def programs(actor: Actor) -> list[Program]:
    return list(
        Program.objects.filter(
            organisation=actor.organisation, status=Program.Status.ACTIVE
        ).order_by("name", "id")
    )


def chosen_program(request: HttpRequest) -> tuple[Program | None, list[Program]]:
    """The program of ?program= (404 if not the organisation's), else the first one."""
    choices = programs(_actor(request))
    wanted = request.GET.get("program") or request.POST.get("program")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        program = next((p for p in choices if p.pk == int(wanted)), None)
        if program is None:
            raise Http404
        return program, choices
    return (choices[0] if choices else None), choices


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("program"),
        program__organisation=_actor(request).organisation,
        pk=campaign_id,
    )


def _challenge(request: HttpRequest, challenge_id: int) -> Challenge:
    return get_object_or_404(
        Challenge.objects.select_related("program", "campaign"),
        program__organisation=_actor(request).organisation,
        pk=challenge_id,
    )


def _may_manage(request: HttpRequest, program: Program | None) -> bool:
    return program is not None and allowed_on_program(
        _actor(request), "recognition.manage", program
    )


@require("recognition.view")
def campaigns(request: HttpRequest) -> HttpResponse:
    program, choices = chosen_program(request)
    can_manage = _may_manage(request, program)
    form = None
    if program is not None and can_manage:
        form = CampaignForm(request.POST or None, program=program)
    if request.method == "POST":
        if program is None:
            raise Http404
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                campaign = actions.create_campaign(_actor(request), program, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Campaign created."))
                return redirect("recognition:campaign", campaign.pk)
    listed = (
        Campaign.objects.filter(program=program).order_by("archived", "-starts_on", "-id")
        if program is not None
        else Campaign.objects.none()
    )
    return render(
        request,
        "recognition/campaigns.html",
        {
            "program": program,
            "programs": choices,
            "campaigns": listed,
            "form": form,
            "can_manage": can_manage,
        },
    )


def _campaign_values(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "description": campaign.description,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "items": list(campaign.items.values_list("pk", flat=True)),
        "target_departments": list(campaign.target_departments.values_list("pk", flat=True)),
        "goal_human_clicks": campaign.goal_human_clicks,
        "goal_conversions": campaign.goal_conversions,
    }


@require("recognition.view")
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    found = _campaign(request, campaign_id)
    can_manage = _may_manage(request, found.program)
    form = None
    if can_manage:
        form = CampaignForm(
            request.POST or None, program=found.program, initial=_campaign_values(found)
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.change_campaign(_actor(request), found, **form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Campaign saved."))
                return redirect("recognition:campaign", found.pk)
    today = timezone.now().astimezone(UTC).date()
    challenges = [
        replace(progress.progress_of(c), participation=participation.around(c, today))
        for c in found.challenges.filter(archived=False)
    ]
    return render(
        request,
        "recognition/campaign.html",
        {
            "campaign": found,
            "figures": progress.campaign_figures(found),
            "challenges": challenges,
            "form": form,
            "can_manage": can_manage,
        },
    )


@require_POST
@require("recognition.manage")
def campaign_archive(request: HttpRequest, campaign_id: int) -> HttpResponse:
    found = _campaign(request, campaign_id)
    actions.archive_campaign(_actor(request), found)
    messages.success(request, _("Campaign archived."))
    return redirect(f"{_list_url()}?program={found.program_id}")


def _list_url() -> str:
    return reverse("recognition:campaign_list")


def _challenge_page(
    request: HttpRequest, program: Program, form: ChallengeForm, found: Challenge | None
) -> HttpResponse:
    return render(
        request,
        "recognition/challenge_form.html",
        {
            "program": program,
            "form": form,
            "challenge": found,
            "progress": replace(
                progress.progress_of(found),
                participation=participation.around(found, timezone.now().astimezone(UTC).date()),
            )
            if found is not None
            else None,
        },
    )


def _after_challenge(challenge: Challenge) -> HttpResponse:
    if challenge.campaign_id is not None:
        return redirect("recognition:campaign", challenge.campaign_id)
    return redirect("recognition:challenge_edit", challenge.pk)


@require("recognition.manage")
def challenge_new(request: HttpRequest) -> HttpResponse:
    program, _choices = chosen_program(request)
    if program is None or not _may_manage(request, program):
        raise Http404
    initial = {"campaign": request.GET.get("campaign") or None}
    form = ChallengeForm(request.POST or None, program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.create_challenge(_actor(request), program, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Challenge created."))
            return _after_challenge(made)
    return _challenge_page(request, program, form, None)


@require("recognition.manage")
def challenge_edit(request: HttpRequest, challenge_id: int) -> HttpResponse:
    found = _challenge(request, challenge_id)
    if not _may_manage(request, found.program):
        raise Http404
    initial = {
        "name": found.name,
        "campaign": found.campaign_id,
        "metric": found.metric,
        "scope": found.scope,
        "target": found.target,
        "starts_on": found.starts_on,
        "ends_on": found.ends_on,
        "eligible_departments": list(found.eligible_departments.values_list("pk", flat=True)),
        "points": found.points,
    }
    form = ChallengeForm(request.POST or None, program=found.program, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_challenge(_actor(request), found, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Challenge saved."))
            return _after_challenge(found)
    return _challenge_page(request, found.program, form, found)


@require_POST
@require("recognition.manage")
def challenge_archive(request: HttpRequest, challenge_id: int) -> HttpResponse:
    found = _challenge(request, challenge_id)
    actions.archive_challenge(_actor(request), found)
    messages.success(request, _("Challenge archived."))
    if found.campaign_id is not None:
        return redirect("recognition:campaign", found.campaign_id)
    return redirect(f"{_list_url()}?program={found.program_id}")


@require("recognition.view_own")
def my_challenges(request: HttpRequest) -> HttpResponse:
    """The challenges of my programs that are on now and that I may take part in."""
    actor = _actor(request)
    person = actor.person
    if person is None:
        raise Http404
    rows = [
        {"progress": row.progress, "mine": row.mine, "done": row.done}
        for row in progress.open_for(person)
    ]
    return render(request, "recognition/my_challenges.html", {"rows": rows})
