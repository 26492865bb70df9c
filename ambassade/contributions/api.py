"""My contributions and the contribution report, under /api/v1/."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.contributions import actions
from ambassade.contributions.models import Contribution
from ambassade.contributions.report import (
    ReportRefused,
    ReportRequestError,
    build,
    parse_request,
)
from ambassade.core.api import ApiError, ErrorResponse, PagePagination, permit, permit_person
from ambassade.core.api_types import Code, Day, Id, InputSchema, Name, Text, omittable
from ambassade.people.models import Person
from ambassade.programs.models import Program

router = Router(tags=["contributions"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class ContributionOut(Schema):
    id: int
    kind: str
    title: str
    occurred_on: date
    program_id: int | None
    url: str
    audience: str
    notes: str
    created_at: datetime
    updated_at: datetime


class ContributionIn(InputSchema):
    kind: Code = Field(..., max_length=16)
    title: Name = Field(..., max_length=200)
    occurred_on: Day
    program_id: Id | None = None
    url: Text = Field("", max_length=2048)
    audience: Text = Field("", max_length=200)
    notes: Text = Field("", max_length=500)


class ContributionPatch(InputSchema):
    kind: Code = omittable(max_length=16)
    title: Name = omittable(max_length=200)
    occurred_on: Day = omittable()
    program_id: Id | None = None
    url: Text = omittable(max_length=2048)
    audience: Text = omittable(max_length=200)
    notes: Text = omittable(max_length=500)


def _mine(person: Person, contribution_id: Id) -> Contribution:
    # Someone else's contribution is a 404, never a 403: its existence is not told.
    return get_object_or_404(Contribution, person=person, pk=contribution_id)


@router.get("/contributions", response=list[ContributionOut])
@paginate(PagePagination)
def list_contributions(request: HttpRequest) -> QuerySet[Contribution]:
    """My logged contributions, the latest first."""
    _, person = permit_person(request, "contributions.manage_own")
    return Contribution.objects.filter(person=person)


@router.post("/contributions", response={201: ContributionOut, **ERRORS})
def add_contribution(request: HttpRequest, payload: ContributionIn) -> Status:
    """Log a talk, article, event, training, mentoring or other contribution."""
    actor, _ = permit_person(request, "contributions.manage_own")
    return Status(201, actions.add_contribution(actor, **payload.dict()))


@router.get(
    "/contributions/report",
    response={200: None, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse},
)
def contribution_report(
    request: HttpRequest,
    program_id: Id | None = None,
    start: str = "",
    end: str = "",
    person_id: Id | None = None,
    format: str = "pdf",
) -> HttpResponse:
    """A person's contribution report over [start, end] (YYYY-MM-DD, 3 years at most),
    ``format`` pdf or csv. Mine by default; someone else's needs the report permission (HR,
    admins). Refused with 403 ``report_refused`` when the person is not enrolled in the
    program, their type does not count in evaluation, or they have not consented
    (``details.condition`` says which)."""
    actor = permit(request, "contributions.report_own")
    if person_id is None or (actor.person is not None and person_id == actor.person.pk):
        if actor.person is None:
            raise ApiError(400, "bad_request", "An organisation token must give person_id.")
        person = actor.person
    else:
        actor = permit(request, "contributions.report")
        person = get_object_or_404(Person, organisation=actor.organisation, pk=person_id)
    params = {"program_id": program_id, "start": start, "end": end, "format": format}
    try:
        wanted = parse_request(params)
    except ReportRequestError as error:
        raise ApiError(400, "bad_request", error.message) from None
    program = get_object_or_404(Program, organisation=actor.organisation, pk=wanted.program_id)
    own = actor.person is not None and actor.person.pk == person.pk
    try:
        report = build(person, program, wanted.start, wanted.end, own=own)
    except ReportRefused as refusal:
        raise ApiError(
            403, "report_refused", refusal.message, {"condition": refusal.condition}
        ) from None
    actions.record_report_download(
        actor, person, program, wanted.start, wanted.end, wanted.file_format
    )
    # reportlab (23 MB) is imported by the processes that make a report file, not by all.
    from ambassade.contributions import report_files

    return report_files.response(report, wanted.file_format)


@router.get("/contributions/{contribution_id}", response={200: ContributionOut, **ERRORS})
def get_contribution(request: HttpRequest, contribution_id: Id) -> Contribution:
    _, person = permit_person(request, "contributions.manage_own")
    return _mine(person, contribution_id)


@router.patch("/contributions/{contribution_id}", response={200: ContributionOut, **ERRORS})
def change_contribution(
    request: HttpRequest, contribution_id: Id, payload: ContributionPatch
) -> Contribution:
    """Only the fields sent change; ``program_id: null`` detaches it from its program."""
    actor, person = permit_person(request, "contributions.manage_own")
    changes = payload.dict(exclude_unset=True)
    for name in ("kind", "title", "occurred_on", "url", "audience", "notes"):
        if name in changes and changes[name] is None:
            raise ApiError(422, "invalid", f"{name} cannot be null.", [{"field": name}])
    return actions.change_contribution(actor, _mine(person, contribution_id), **changes)


@router.delete("/contributions/{contribution_id}", response={204: None, **ERRORS})
def delete_contribution(request: HttpRequest, contribution_id: Id) -> Status:
    actor, person = permit_person(request, "contributions.manage_own")
    actions.delete_contribution(actor, _mine(person, contribution_id))
    return Status(204, None)
