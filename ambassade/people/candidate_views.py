"""HR's candidates: people who filled in the voluntary self-assessment."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ambassade.core.authz import Actor, require
from ambassade.core.roles import Role
from ambassade.people.forms import CandidateFilterForm
from ambassade.people.models import (
    EmploymentStatus,
    Membership,
    RoleAssignment,
    SelfAssessment,
)

SORTS = {
    "score": ["-score", "-motivation", "person__last_name"],
    "motivation": ["-motivation", "-score", "person__last_name"],
    "recent": ["-updated_at", "person__last_name"],
    "name": ["person__last_name", "person__first_name"],
}


def candidates_for(actor: Actor, filters: dict) -> QuerySet[SelfAssessment]:
    """Shared by the page and the API: the organisation's answers, filtered and sorted."""
    ambassador = RoleAssignment.objects.filter(person=OuterRef("person"), role=Role.AMBASSADOR)
    answers = (
        SelfAssessment.objects.filter(
            person__organisation=actor.organisation, person__anonymised_at__isnull=True
        )
        .exclude(person__employment_status=EmploymentStatus.LEFT)
        .exclude(person__membership=Membership.PARTNER)  # partners are no candidates
        .select_related("person", "person__department", "person__site")
        .annotate(
            score=F("social_comfort") + F("motivation") + F("willingness_to_learn"),
            is_ambassador=Exists(ambassador),
        )
    )
    if filters.get("min_comfort"):
        answers = answers.filter(social_comfort__gte=filters["min_comfort"])
    if filters.get("min_motivation"):
        answers = answers.filter(motivation__gte=filters["min_motivation"])
    if filters.get("min_learning"):
        answers = answers.filter(willingness_to_learn__gte=filters["min_learning"])
    if filters.get("department"):
        answers = answers.filter(person__department=filters["department"])
    if filters.get("site"):
        answers = answers.filter(person__site=filters["site"])
    if filters.get("not_ambassador"):
        answers = answers.filter(is_ambassador=False)
    return answers.order_by(*SORTS.get(filters.get("sort") or "score", SORTS["score"]))


@require("candidates.view")
def candidates(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    form = CandidateFilterForm(request.GET or None, organisation=actor.organisation)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(candidates_for(actor, filters), 50).get_page(request.GET.get("page"))
    return render(request, "people/candidates.html", {"form": form, "page": page})
