"""The console's coaching pages: a coach's ambassadors, threads and reviews; HR's
assignments; the overview (counts and times, never a question's text); the checklist's
explanations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ambassade.coaching import access, actions, checklist, selectors
from ambassade.coaching.forms import (
    AssignForm,
    AssignGroupForm,
    CapacityForm,
    ReviewForm,
)
from ambassade.coaching.models import CoachAssignment, ProfileReview, Question
from ambassade.coaching.thread_page import Side, thread_page
from ambassade.core.authz import Actor, allowed, require
from ambassade.core.forms import add_action_errors

UNASSIGNED_SHOWN = 200


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def coach_threads(actor: Actor) -> list[Question]:
    """The coach's threads, open ones first, with what the list shows: one query."""
    return list(
        access.coached_questions(actor)
        .select_related("ambassador")
        .annotate(reply_count=Count("replies"))
        .order_by("status", "-last_message_at", "-id")[:200]
    )


@require("coaching.coach")
def coach_home(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if actor.person is None:
        raise Http404
    reviews = (
        access.coached_reviews(actor)
        .filter(status=ProfileReview.Status.REQUESTED)
        .select_related("person")
        .order_by("requested_at")
    )
    return render(
        request,
        "coaching/coach_home.html",
        {
            "questions": coach_threads(actor),
            "reviews": [(review, checklist.network_name(review.network)) for review in reviews],
            "ambassadors": selectors.ambassadors_of(actor.person),
        },
    )


@require("coaching.coach")
def coach_thread(request: HttpRequest, question_id: int) -> HttpResponse:
    side = Side(
        "coach",
        "coaching:coach_thread",
        "coaching:thread",
        _("Your answer is sent."),
        {"base": "base_console.html", "back_url_name": "coaching:coach_home", "as_coach": True},
    )
    return thread_page(request, question_id, side)


@require("coaching.coach")
def coach_review(request: HttpRequest, review_id: int) -> HttpResponse:
    actor = _actor(request)
    review = access.coached_reviews(actor).select_related("person").filter(pk=review_id).first()
    if review is None:
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.give_review(actor, review.pk, form.verdicts())
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("Your review is sent."))
            return redirect("coaching:coach_home")
    ticked = {
        line.code: line
        for network in checklist.checklist_of(review.person)
        if network.network == review.network
        for line in network.lines
    }
    rows = [
        (ticked[code], form[f"verdict_{code}"], form[f"comment_{code}"]) for code in checklist.ITEMS
    ]
    return render(
        request,
        "coaching/review.html",
        {
            "review": review,
            "network_name": checklist.network_name(review.network),
            "rows": rows,
            "form": form,
            "verdicts": {v.item: v for v in review.verdicts.all()},
        },
    )


@require("coaching.assign")
def assignments(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    organisation_id = actor.organisation.pk
    coaches = selectors.coaches(organisation_id)
    unassigned = selectors.unassigned(organisation_id)
    one = AssignForm(
        request.POST if "assign_one" in request.POST else None,
        ambassadors=selectors.active_ambassadors(organisation_id).order_by(
            "last_name", "first_name", "id"
        )[:1000],
        coaches=coaches,
        prefix="one",
    )
    group = AssignGroupForm(
        request.POST if "assign_group" in request.POST else None,
        organisation=actor.organisation,
        coaches=coaches,
        prefix="group",
    )
    if request.method == "POST":
        try:
            if "assign_one" in request.POST and one.is_valid():
                actions.assign(actor, one.cleaned_data["ambassador"], one.cleaned_data["coach"])
                messages.success(request, _("The coach is assigned."))
                return redirect("coaching:assignments")
            if "assign_group" in request.POST and group.is_valid():
                audience = {
                    key: group.cleaned_data[key]
                    for key in ("department", "site")
                    if group.cleaned_data[key]
                }
                count = actions.assign_audience(actor, group.cleaned_data["coach"], audience)
                messages.success(
                    request, _("%(count)s ambassadors have this coach now.") % {"count": count}
                )
                return redirect("coaching:assignments")
        except ValidationError as error:
            add_action_errors(
                one if "assign_one" in request.POST else group,
                error,
                {"coach_id": "coach", "ambassador_id": "ambassador", "audience": "department"},
            )
    figures = selectors.overview(organisation_id)
    listing = Paginator(
        CoachAssignment.objects.filter(organisation=actor.organisation)
        .select_related("coach", "ambassador")
        .order_by("coach__last_name", "ambassador__last_name", "id"),
        50,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/assignments.html",
        {
            "one": one,
            "group": group,
            "figures": figures,
            "unassigned": unassigned[:UNASSIGNED_SHOWN],
            "unassigned_count": unassigned.count(),
            "page_obj": listing,
        },
    )


@require_POST
@require("coaching.assign")
def unassign(request: HttpRequest, ambassador_id: int) -> HttpResponse:
    actions.unassign(_actor(request), ambassador_id)
    messages.success(request, _("The coach is removed."))
    return redirect("coaching:assignments")


@require_POST
@require("coaching.assign")
def capacity(request: HttpRequest, coach_id: int) -> HttpResponse:
    form = CapacityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a number from 1 to %(max)s.") % {"max": 500})
        return redirect("coaching:assignments")
    try:
        actions.set_capacity(_actor(request), coach_id, form.cleaned_data["capacity"])
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The capacity is saved."))
    return redirect("coaching:assignments")


@require("coaching.overview")
def overview(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    organisation_id = actor.organisation.pk
    totals = Question.objects.filter(organisation_id=organisation_id).aggregate(
        asked=Count("id"), open=Count("id", filter=Q(status=Question.Status.OPEN))
    )
    return render(
        request,
        "coaching/overview.html",
        {
            "figures": selectors.overview(organisation_id),
            "totals": totals,
            "unassigned_count": selectors.unassigned(organisation_id).count(),
            "can_assign": allowed(actor, "coaching.assign"),
            "can_explain": allowed(actor, "coaching.checklist"),
        },
    )


@require("coaching.checklist")
def explanations(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if request.method == "POST":
        network = request.POST.get("network", "")
        try:
            texts = {code: request.POST.get(code, "") for code in checklist.ITEMS}
            actions.set_explanations(actor, network, texts)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The explanations are saved."))
        return redirect("coaching:explanations")
    own = checklist.explanations(actor.organisation)
    networks = [
        (
            code,
            name,
            [
                (item_code, item.label, item.explanation, own.get((code, item_code), ""))
                for item_code, item in checklist.ITEMS.items()
            ],
        )
        for code, name in checklist.NETWORKS.items()
    ]
    return render(request, "coaching/explanations.html", {"networks": networks})
