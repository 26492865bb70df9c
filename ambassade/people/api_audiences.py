"""Audiences under /api/v1/: the criteria offered, a count before sending, saved segments."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status

from ambassade.core.api import ErrorResponse, permit
from ambassade.core.api_types import Code, Id, InputSchema, Name
from ambassade.people import actions, audiences
from ambassade.people.api_router import router
from ambassade.people.models import SavedSegment

# At most this many values per criterion: a department list, not a dump of ids.
MAX_VALUES = 200
Criteria = dict[Code, Annotated[list[Code], Field(max_length=MAX_VALUES)]]


class ChoiceOut(Schema):
    value: str
    label: str


class CriterionOut(Schema):
    key: str
    label: str
    choices: list[ChoiceOut]


class AudienceIn(InputSchema):
    criteria: Criteria = Field(..., max_length=10)


class AudienceCountOut(Schema):
    count: int
    criteria: dict[str, list[str]]


class SegmentIn(InputSchema):
    name: Name = Field(..., max_length=120)
    criteria: Criteria = Field(..., max_length=10)


class SegmentOut(Schema):
    id: int
    name: str
    criteria: dict[str, list[str]]
    count: int


def _out(segment: SavedSegment) -> SegmentOut:
    return SegmentOut(
        id=segment.pk,
        name=segment.name,
        criteria=segment.criteria,
        count=audiences.count(segment.organisation, segment.criteria),
    )


@router.get("/audiences/criteria", response={200: list[CriterionOut], 403: ErrorResponse})
def audience_criteria(request: HttpRequest) -> list[CriterionOut]:
    """The criteria an audience may use, with this organisation's choices."""
    actor = permit(request, "audiences.manage")
    return [
        CriterionOut(
            key=key,
            label=str(criterion.label),
            choices=[
                ChoiceOut(value=value, label=label)
                for value, label in criterion.choices(actor.organisation)
            ],
        )
        for key, criterion in audiences.CRITERIA.items()
    ]


@router.post(
    "/audiences/count", response={200: AudienceCountOut, 403: ErrorResponse, 422: ErrorResponse}
)
def audience_count(request: HttpRequest, payload: AudienceIn) -> AudienceCountOut:
    """How many people an audience holds now: the number an invitation would reach."""
    actor = permit(request, "audiences.manage")
    cleaned = audiences.clean(actor.organisation, payload.criteria)
    return AudienceCountOut(count=audiences.count(actor.organisation, cleaned), criteria=cleaned)


@router.get("/segments", response={200: list[SegmentOut], 403: ErrorResponse})
def list_segments(request: HttpRequest) -> list[SegmentOut]:
    actor = permit(request, "audiences.manage")
    found = SavedSegment.objects.filter(organisation=actor.organisation).select_related(
        "organisation"
    )
    return [_out(segment) for segment in found]


@router.post("/segments", response={201: SegmentOut, 403: ErrorResponse, 422: ErrorResponse})
def create_segment(request: HttpRequest, payload: SegmentIn) -> Status:
    actor = permit(request, "audiences.manage")
    segment = actions.save_segment(actor, name=payload.name, criteria=payload.criteria)
    return Status(201, _out(segment))


@router.put(
    "/segments/{int:segment_id}",
    response={200: SegmentOut, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
)
def update_segment(request: HttpRequest, segment_id: Id, payload: SegmentIn) -> SegmentOut:
    actor = permit(request, "audiences.manage")
    segment = get_object_or_404(SavedSegment, organisation=actor.organisation, pk=segment_id)
    saved = actions.save_segment(
        actor, name=payload.name, criteria=payload.criteria, segment=segment
    )
    return _out(saved)


@router.delete(
    "/segments/{int:segment_id}",
    response={204: None, 403: ErrorResponse, 404: ErrorResponse},
)
def delete_segment(request: HttpRequest, segment_id: Id) -> Status:
    actor = permit(request, "audiences.manage")
    segment = get_object_or_404(SavedSegment, organisation=actor.organisation, pk=segment_id)
    actions.delete_segment(actor, segment)
    return Status(204, None)
