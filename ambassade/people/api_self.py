"""The person's own lifecycle under /api/v1/ (self-assessment, data, alumni, erasure
request), and HR's candidates."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ApiError, ErrorResponse, PagePagination, permit, typed
from ambassade.core.api_types import Code, Id, InputSchema, Text
from ambassade.core.authz import Actor
from ambassade.people import actions
from ambassade.people.api_router import router
from ambassade.people.models import Person, SelfAssessment


def _own_person(actor: Actor) -> Person:
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor.person


class SelfAssessmentIn(InputSchema):
    social_comfort: int = Field(..., ge=1, le=5)
    motivation: int = Field(..., ge=1, le=5)
    willingness_to_learn: int = Field(..., ge=1, le=5)
    networks: list[Code] = Field([], max_length=20)
    comment: Text = Field("", max_length=2000)


class SelfAssessmentOut(Schema):
    social_comfort: int
    motivation: int
    willingness_to_learn: int
    networks: list[str]
    comment: str
    updated_at: datetime


@router.get(
    "/me/self-assessment",
    response={200: SelfAssessmentOut, 403: ErrorResponse, 404: ErrorResponse},
)
def get_self_assessment(request: HttpRequest) -> Any:
    actor = permit(request, "self_assessment.fill")
    answers = SelfAssessment.objects.filter(person=_own_person(actor)).first()
    if answers is None:
        raise ApiError(404, "not_found", "You have not answered the questionnaire.")
    return answers


@router.put(
    "/me/self-assessment",
    response={200: SelfAssessmentOut, 403: ErrorResponse, 422: ErrorResponse},
)
def save_self_assessment(request: HttpRequest, payload: SelfAssessmentIn) -> SelfAssessment:
    """Voluntary: HR reads the answers on the candidates page."""
    actor = permit(request, "self_assessment.fill")
    _own_person(actor)
    return actions.save_self_assessment(actor, payload.dict())


@router.delete("/me/self-assessment", response={204: None, 403: ErrorResponse})
def withdraw_self_assessment(request: HttpRequest) -> Status:
    actor = permit(request, "self_assessment.fill")
    _own_person(actor)
    actions.withdraw_self_assessment(actor)
    return Status(204, None)


@router.get("/me/personal-data", response={200: None, 403: ErrorResponse})
def export_my_data(request: HttpRequest) -> HttpResponse:
    """A ZIP of JSON files with everything Ambassade holds about you."""
    from ambassade.people.person_views import zip_response

    actor = permit(request, "personal_data.export_own")
    person = _own_person(actor)
    return zip_response(actions.export_personal_data(actor, person), person)


class AlumniIn(InputSchema):
    alumni: bool


class AlumniOut(Schema):
    alumni: bool
    alumni_since: datetime | None


@router.post("/me/alumni", response={200: AlumniOut, 403: ErrorResponse, 422: ErrorResponse})
def choose_alumni(request: HttpRequest, payload: AlumniIn) -> Person:
    """For people who are leaving: stay an alumni ambassador (restricted sign-in) or not."""
    actor = permit(request, "alumni.choose")
    _own_person(actor)
    return actions.choose_alumni(actor, payload.alumni)


@router.post("/me/erasure-request", response={202: None, 403: ErrorResponse})
def request_erasure(request: HttpRequest) -> Status:
    """Tells the organisation's admins, who erase the data from the person's page."""
    actor = permit(request, "personal_data.request_erasure")
    _own_person(actor)
    actions.request_erasure(actor)
    return Status(202, None)


class CandidateOut(Schema):
    person_id: int
    name: str
    job_title: str
    department: str | None
    site: str | None
    social_comfort: int
    motivation: int
    willingness_to_learn: int
    total: int
    networks: list[str]
    comment: str
    is_ambassador: bool
    updated_at: datetime

    @staticmethod
    def resolve_name(answers: SelfAssessment) -> str:
        return answers.person.full_name

    @staticmethod
    def resolve_job_title(answers: SelfAssessment) -> str:
        return answers.person.job_title

    @staticmethod
    def resolve_department(answers: SelfAssessment) -> str | None:
        return answers.person.department.name if answers.person.department else None

    @staticmethod
    def resolve_site(answers: SelfAssessment) -> str | None:
        return answers.person.site.name if answers.person.site else None


Score = Annotated[int, Field(ge=1, le=5)]


@router.get("/candidates", response=list[CandidateOut])
@paginate(PagePagination)
@typed
def list_candidates(
    request: HttpRequest,
    min_comfort: Score | None = None,
    min_motivation: Score | None = None,
    min_learning: Score | None = None,
    department_id: Id | None = None,
    site_id: Id | None = None,
    not_ambassador: bool = False,
    sort: str = "score",
) -> Any:
    """HR only: people who filled in the self-assessment, filtered by minimum scores
    (1 to 5), department and site; sorted by score, motivation, recent or name."""
    from ambassade.people.candidate_views import candidates_for

    actor = permit(request, "candidates.view")
    return candidates_for(
        actor,
        {
            "min_comfort": min_comfort,
            "min_motivation": min_motivation,
            "min_learning": min_learning,
            "department": department_id,
            "site": site_id,
            "not_ambassador": not_ambassador,
            "sort": sort,
        },
    )
