"""Coaching for those who organise it, under /api/v1/coaching/: assignments and
capacities (HR, admins), the overview (counts and times only), the checklist's
explanations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.coaching import actions, checklist, selectors
from ambassade.coaching.api import Mapped
from ambassade.coaching.models import CoachAssignment, Question
from ambassade.core.api import ErrorResponse, PagePagination, permit
from ambassade.core.api_types import Code, Id, InputSchema, Text

router = Router(tags=["coaching"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class AssignmentOut(Schema):
    ambassador_id: int
    ambassador_name: str
    coach_id: int
    coach_name: str
    coach_has_left: bool
    assigned_at: datetime


class AssignIn(InputSchema):
    ambassador_id: Id
    coach_id: Id


class AssignAudienceIn(InputSchema):
    coach_id: Id
    audience: dict[Code, list[Code]] = Field(
        ...,
        max_length=10,
        description="A group of people (docs/decisions/0022-audiences.md), e.g. "
        '{"department": ["3"], "site": ["1"]}.',
    )


class AssignedOut(Schema):
    assigned: int


class AssignablePersonOut(Schema):
    id: int
    name: str
    job_title: str


class CapacityIn(InputSchema):
    capacity: int = Field(..., ge=1, le=500)


class CoachOut(Schema):
    coach_id: int
    name: str
    capacity: int
    ambassadors: int
    open_questions: int
    answered: int
    median_first_answer_seconds: int | None


class OverviewOut(Schema):
    questions_asked: int
    open_questions: int
    ambassadors_without_coach: int
    coaches: list[CoachOut]


class ExplanationOut(Schema):
    network: str
    item: str
    label: str
    default: str
    text: str = Field(description="The organisation's own words; empty: the default shows.")


class ExplanationsIn(InputSchema):
    texts: dict[Code, Text] = Field(..., max_length=20, description="Item code -> text.")


def _assignment_out(row: CoachAssignment) -> dict[str, Any]:
    return {
        "ambassador_id": row.ambassador_id,
        "ambassador_name": row.ambassador.full_name,
        "coach_id": row.coach_id,
        "coach_name": row.coach.full_name,
        "coach_has_left": row.coach.employment_status == "left",
        "assigned_at": row.assigned_at,
    }


@router.get("/coaching/assignments", response=list[AssignmentOut])
@paginate(PagePagination)
def list_assignments(request: HttpRequest) -> Any:
    """Who coaches whom, by coach."""
    actor = permit(request, "coaching.assign")
    found = (
        CoachAssignment.objects.filter(organisation=actor.organisation)
        .select_related("coach", "ambassador")
        .order_by("coach__last_name", "coach_id", "ambassador__last_name", "id")
    )
    return Mapped(found, _assignment_out)


@router.post("/coaching/assignments", response={201: AssignmentOut, **ERRORS})
def assign(request: HttpRequest, payload: AssignIn) -> Status:
    """Give one ambassador a coach (replacing their coach); 422 past the coach's capacity."""
    actor = permit(request, "coaching.assign")
    row = actions.assign(actor, payload.ambassador_id, payload.coach_id)
    return Status(201, _assignment_out(row))


@router.post("/coaching/assignments/by-audience", response={200: AssignedOut, **ERRORS})
def assign_audience(request: HttpRequest, payload: AssignAudienceIn) -> dict[str, int]:
    """Give every ambassador of a group this coach: all, or none past its capacity."""
    actor = permit(request, "coaching.assign")
    count = actions.assign_audience(actor, payload.coach_id, payload.audience)
    return {"assigned": count}


@router.delete("/coaching/assignments/{ambassador_id}", response={204: None, **ERRORS})
def unassign(request: HttpRequest, ambassador_id: Id) -> Status:
    """The ambassador has no coach any more."""
    actions.unassign(permit(request, "coaching.assign"), ambassador_id)
    return Status(204, None)


@router.get("/coaching/unassigned", response=list[AssignablePersonOut])
@paginate(PagePagination)
def unassigned(request: HttpRequest) -> Any:
    """Ambassadors without a coach (or whose coach left)."""
    actor = permit(request, "coaching.assign")
    return Mapped(
        selectors.unassigned(actor.organisation.pk),
        lambda person: {"id": person.pk, "name": person.full_name, "job_title": person.job_title},
    )


@router.put("/coaching/coaches/{coach_id}/capacity", response={200: CoachOut, **ERRORS})
def set_capacity(request: HttpRequest, coach_id: Id, payload: CapacityIn) -> dict[str, Any]:
    """How many ambassadors this coach takes."""
    actor = permit(request, "coaching.assign")
    actions.set_capacity(actor, coach_id, payload.capacity)
    row = next(r for r in selectors.overview(actor.organisation.pk) if r.coach.pk == coach_id)
    return _coach_out(row)


def _coach_out(row: selectors.CoachFigures) -> dict[str, Any]:
    median = row.median_first_answer
    return {
        "coach_id": row.coach.pk,
        "name": row.coach.full_name,
        "capacity": row.capacity,
        "ambassadors": row.ambassadors,
        "open_questions": row.open_questions,
        "answered": row.answered,
        "median_first_answer_seconds": round(median.total_seconds()) if median else None,
    }


@router.get("/coaching/overview", response={200: OverviewOut, 403: ErrorResponse})
def overview(request: HttpRequest) -> dict[str, Any]:
    """Per coach: ambassadors, capacity, open questions, median time to a first answer.
    Counts and times only: what was asked is never here."""
    actor = permit(request, "coaching.overview")
    organisation_id = actor.organisation.pk
    totals = Question.objects.filter(organisation_id=organisation_id).aggregate(
        asked=Count("id"), open=Count("id", filter=Q(status=Question.Status.OPEN))
    )
    return {
        "questions_asked": totals["asked"],
        "open_questions": totals["open"],
        "ambassadors_without_coach": selectors.unassigned(organisation_id).count(),
        "coaches": [_coach_out(row) for row in selectors.overview(organisation_id)],
    }


def _explanations(actor: Any) -> list[dict[str, Any]]:
    own = checklist.explanations(actor.organisation)
    return [
        {
            "network": network,
            "item": code,
            "label": str(item.label),
            "default": str(item.explanation),
            "text": own.get((network, code), ""),
        }
        for network in checklist.NETWORKS
        for code, item in checklist.ITEMS.items()
    ]


@router.get(
    "/coaching/checklist/explanations", response={200: list[ExplanationOut], 403: ErrorResponse}
)
def explanations(request: HttpRequest) -> list[dict[str, Any]]:
    """Every item of the profile checklist on each network, its default explanation and
    the organisation's own."""
    return _explanations(permit(request, "coaching.checklist"))


@router.put(
    "/coaching/checklist/explanations/{network}",
    response={200: list[ExplanationOut], **ERRORS},
)
def save_explanations(
    request: HttpRequest, network: Code, payload: ExplanationsIn
) -> list[dict[str, Any]]:
    """The organisation's words for some items of a network; an empty text brings the
    default back. Items left out do not change."""
    actor = permit(request, "coaching.checklist")
    actions.set_explanations(actor, network, dict(payload.texts))
    return _explanations(actor)
