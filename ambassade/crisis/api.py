"""The crisis under /api/v1/crisis: the current one for everyone signed in; starting,
updating, ending and the timeline for those who manage it (``crisis.manage``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ErrorResponse, PagePagination, permit, typed
from ambassade.core.api_types import Id, InputSchema, Moment, Text, Trimmed, omittable
from ambassade.crisis import actions, notices, selectors
from ambassade.crisis.models import Crisis, Step

router = Router(tags=["crisis"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}
MANAGE = "crisis.manage"


class CrisisOut(Schema):
    id: int
    name: str
    description: str
    to_do: str = Field(..., description="What to do (the default words when none were written)")
    not_to_do: str
    started_at: datetime
    ends_at: datetime
    ended_at: datetime | None
    running: bool

    @staticmethod
    def resolve_to_do(crisis: Crisis) -> str:
        return notices.to_do(crisis)

    @staticmethod
    def resolve_not_to_do(crisis: Crisis) -> str:
        return notices.not_to_do(crisis)


class CrisisDetail(CrisisOut):
    at_start: str
    at_end: str
    exempt: list[int] = Field(..., description="The spokespeople's person ids")
    started_by: str = Field(..., alias="started_by_label")
    ended_by: str = Field(..., alias="ended_by_label")

    @staticmethod
    def resolve_exempt(crisis: Crisis) -> list[int]:
        return sorted(person.pk for person in crisis.exempt.all())


class CurrentOut(Schema):
    running: bool
    crisis: CrisisOut | None


class CrisisIn(InputSchema):
    name: Trimmed = Field(..., max_length=200)
    description: Trimmed = Field(..., max_length=3000)
    to_do: Text = Field("", max_length=2000, description="Empty: the default words")
    not_to_do: Text = Field("", max_length=2000, description="Empty: the default words")
    ends_at: Moment
    exempt: list[Id] = Field(default_factory=list, max_length=50)
    at_start: Literal["hold", "cancel", "return"] = "hold"
    at_end: Literal["resume", "return"] = "resume"


class CrisisPatch(InputSchema):
    description: Trimmed = omittable(max_length=3000)
    to_do: Text = omittable(max_length=2000)
    not_to_do: Text = omittable(max_length=2000)
    ends_at: Moment = omittable()
    exempt: list[Id] = omittable(max_length=50)
    at_end: Literal["resume", "return"] = omittable()


class StepOut(Schema):
    at: datetime
    kind: str
    count: int | None
    detail: str
    by: str = Field(..., alias="actor_label")


def _crisis(request: HttpRequest, crisis_id: int) -> tuple[Any, Crisis]:
    actor = permit(request, MANAGE)
    crisis = selectors.crisis_of(actor.organisation, crisis_id)
    if crisis is None:
        raise Http404
    return actor, crisis


@router.get("/crisis/current", response={200: CurrentOut, **ERRORS})
def current_crisis(request: HttpRequest) -> dict[str, Any]:
    """The running crisis, for everyone signed in: what it is, until when, what to do."""
    actor = permit(request, "crisis.view")
    crisis = selectors.current(actor.organisation.pk)
    return {"running": crisis is not None, "crisis": crisis}


@router.get("/crisis", response=list[CrisisOut])
@paginate(PagePagination)
@typed
def list_crises(request: HttpRequest) -> QuerySet[Crisis]:
    actor = permit(request, MANAGE)
    return selectors.crises_of(actor.organisation)


@router.post("/crisis", response={201: CrisisDetail, **ERRORS})
def start_crisis(request: HttpRequest, payload: CrisisIn) -> Status:
    """Starts a crisis: sharing closes but for ``exempt``, the planned posts are held (or
    cancelled, or returned: ``at_start``), and everyone is told."""
    actor = permit(request, MANAGE)
    data = payload.dict()
    crisis = actions.start_crisis(actor, **data)
    return Status(201, selectors.crisis_of(actor.organisation, crisis.pk))


@router.get("/crisis/{crisis_id}", response={200: CrisisDetail, **ERRORS})
def get_crisis(request: HttpRequest, crisis_id: Id) -> Crisis:
    return _crisis(request, crisis_id)[1]


@router.patch("/crisis/{crisis_id}", response={200: CrisisDetail, **ERRORS})
def update_crisis(request: HttpRequest, crisis_id: Id, payload: CrisisPatch) -> Any:
    """Only the fields sent change."""
    actor, crisis = _crisis(request, crisis_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    actions.update_crisis(actor, crisis, **changes)
    return selectors.crisis_of(actor.organisation, crisis.pk)


@router.post("/crisis/{crisis_id}/end", response={200: CrisisDetail, **ERRORS})
def end_crisis(request: HttpRequest, crisis_id: Id) -> Any:
    """Ends the crisis now; its held posts resume or go back to their authors (``at_end``)."""
    actor, crisis = _crisis(request, crisis_id)
    actions.end_crisis(actor, crisis)
    return selectors.crisis_of(actor.organisation, crisis.pk)


@router.get("/crisis/{crisis_id}/timeline", response={200: list[StepOut], **ERRORS})
def timeline(request: HttpRequest, crisis_id: Id) -> list[Step]:
    """Every step, oldest first: started, posts held, spokespeople changed, notices sent…"""
    _actor, crisis = _crisis(request, crisis_id)
    return list(selectors.timeline(crisis)[:1000])
