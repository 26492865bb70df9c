"""The rewards pages: the person's catalogue and requests under /me/, the catalogue
editor and the fulfilment queue under /console/."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ambassade.core.authz import Actor, require
from ambassade.core.forms import add_action_errors
from ambassade.people.models import Person
from ambassade.programs.models import Program
from ambassade.recognition import ledger, rewards, rewards_selectors
from ambassade.recognition.forms_rewards import AnswerForm, RequestForm, RewardForm
from ambassade.recognition.models import RequestStatus, Reward, RewardRequest

QUEUE_FILTERS = {
    "open": rewards.OPEN,
    **{status: (status,) for status in RequestStatus.values},
}


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined]


def _person(request: HttpRequest) -> tuple[Actor, Person]:
    actor = _actor(request)
    if actor.person is None:
        raise Http404
    return actor, actor.person


def _first_error(error: ValidationError) -> str:
    return str(error.messages[0])


@require("recognition.view_own")
def catalogue(request: HttpRequest) -> HttpResponse:
    _unused, person = _person(request)
    offered = list(rewards_selectors.catalogue(person).prefetch_related("eligible"))
    for reward in offered:
        reward.within_reach = rewards.is_eligible(person, reward)  # type: ignore[attr-defined]
    return render(
        request,
        "recognition/rewards.html",
        {
            "rewards": offered,
            "balance": ledger.balances(person).spendable,
            "requests": rewards_selectors.requests_of(person)[:50],
            "waiting": RequestStatus.REQUESTED,
        },
    )


@require("recognition.manage_own")
def request_reward(request: HttpRequest, reward_id: int) -> HttpResponse:
    """A confirmation page: what it costs and what is left; requesting is its POST."""
    actor, person = _person(request)
    reward = get_object_or_404(
        Reward, organisation_id=person.organisation_id, active=True, pk=reward_id
    )
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            rewards.request_reward(actor, reward, form.cleaned_data["note"])
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Requested: the team will tell you when it is on its way."))
            return redirect("recognition:rewards")
    balance = ledger.balances(person).spendable
    return render(
        request,
        "recognition/reward_request.html",
        {"reward": reward, "form": form, "balance": balance, "left": balance - reward.cost},
    )


@require_POST
@require("recognition.manage_own")
def cancel_own(request: HttpRequest, request_id: int) -> HttpResponse:
    actor, person = _person(request)
    found = get_object_or_404(RewardRequest, person=person, pk=request_id)
    try:
        rewards.cancel(actor, found)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.success(request, _("Request cancelled: your points are back."))
    return redirect("recognition:rewards")


def _programs(actor: Actor) -> list[Program]:
    return list(Program.objects.filter(organisation=actor.organisation))


@require("recognition.manage")
def console(request: HttpRequest) -> HttpResponse:
    """Every reward, retired ones included, and the form to add one."""
    actor = _actor(request)
    form = RewardForm(request.POST or None, programs=_programs(actor))
    if request.method == "POST" and form.is_valid():
        try:
            reward = rewards.create_reward(actor, **form.values())
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Reward added: “%(name)s”.") % {"name": reward.name})
            return redirect("recognition:console_rewards")
    return render(
        request,
        "recognition/console_rewards.html",
        {
            "rewards": Reward.objects.filter(organisation=actor.organisation).prefetch_related(
                "eligible"
            ),
            "form": form,
        },
    )


def _reward(actor: Actor, reward_id: int) -> Reward:
    return get_object_or_404(Reward, organisation=actor.organisation, pk=reward_id)


@require("recognition.manage")
def edit(request: HttpRequest, reward_id: int) -> HttpResponse:
    actor = _actor(request)
    reward = _reward(actor, reward_id)
    initial = rewards.values_of(reward)
    initial["eligible"] = [str(pk) for pk in initial["eligible"]]
    form = RewardForm(request.POST or None, initial=initial, programs=_programs(actor))
    if request.method == "POST" and form.is_valid():
        try:
            rewards.change_reward(actor, reward, **form.values(), active=True)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, _("Reward saved."))
            return redirect("recognition:console_rewards")
    return render(request, "recognition/reward_edit.html", {"reward": reward, "form": form})


@require_POST
@require("recognition.manage")
def retire(request: HttpRequest, reward_id: int) -> HttpResponse:
    actor = _actor(request)
    rewards.retire_reward(actor, _reward(actor, reward_id))
    messages.success(request, _("Reward retired: it is no longer offered."))
    return redirect("recognition:console_rewards")


@require("recognition.fulfil")
def fulfilment_queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    shown = request.GET.get("status", "open")
    if shown not in QUEUE_FILTERS:
        shown = "open"
    return render(
        request,
        "recognition/rewards_queue.html",
        {
            "requests": rewards_selectors.queue(actor.organisation.pk, QUEUE_FILTERS[shown])[:200],
            "shown": shown,
            "filters": [("open", _("To do"))]
            + [(status, label) for status, label in RequestStatus.choices],
            "form": AnswerForm(),
            "statuses": RequestStatus,
        },
    )


DECISIONS = {"approve": rewards.approve, "send": rewards.mark_sent, "cancel": rewards.cancel}
DONE = {
    "approve": _lazy("Request approved."),
    "send": _lazy("Marked sent."),
    "cancel": _lazy("Request cancelled: the points and the item are back."),
}


@require_POST
@require("recognition.fulfil")
def decide(request: HttpRequest, request_id: int, decision: str) -> HttpResponse:
    actor = _actor(request)
    if decision not in DECISIONS:
        raise Http404
    found = get_object_or_404(RewardRequest, organisation=actor.organisation, pk=request_id)
    form = AnswerForm(request.POST)
    answer = form.cleaned_data["answer"] if form.is_valid() else ""
    try:
        DECISIONS[decision](actor, found, answer)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.success(request, str(DONE[decision]))
    shown = request.POST.get("shown", "open")
    shown = shown if shown in QUEUE_FILTERS else "open"
    return redirect(f"{reverse('recognition:rewards_queue')}?status={shown}")
