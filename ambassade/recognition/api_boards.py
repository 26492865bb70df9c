"""The boards under /api/v1/recognition/: the boards, my band, my choices, and the
organisation's setting (ranked boards or bands only)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from ambassade.core.api import ApiError, ErrorResponse, permit
from ambassade.core.api_types import Code, Id, InputSchema
from ambassade.core.authz import Actor, allowed
from ambassade.people.models import Person
from ambassade.recognition import boards, boards_actions
from ambassade.recognition.ledger import profile_of
from ambassade.recognition.models import RecognitionSettings

router = Router(tags=["recognition"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class BoardLineOut(Schema):
    rank: int
    name: str
    points: int


class BoardTeamOut(Schema):
    rank: int
    name: str
    members: int
    average: float


class BoardsOut(Schema):
    period: str
    start: str
    end: str
    people: list[BoardLineOut]
    executives: list[BoardLineOut]
    teams: list[BoardTeamOut]
    teams_too_small: int
    smallest_group: int


class BandOut(Schema):
    period: str
    points: int
    member: bool
    percentile: int | None
    team: Literal["above", "on_par", "below", ""]
    team_average: float | None
    sentences: list[str]


class ChoicesIn(InputSchema):
    on_boards: bool
    show_badges: bool


class ChoicesOut(Schema):
    on_boards: bool
    show_badges: bool


class BoardsSettingIn(InputSchema):
    boards: Code = Field(description="ranked or bands")


class BoardsSettingOut(Schema):
    boards: str


class ExecutiveIn(InputSchema):
    executive: bool


class ExecutiveOut(Schema):
    person_id: int
    executive: bool


def _person(actor: Actor) -> Person:
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor.person


def _window(actor: Actor, period: str | None) -> boards.Window:
    return boards.window(actor.organisation, boards.parse_period(period))


@router.get("/boards", response={200: BoardsOut, **ERRORS})
def get_boards(request: HttpRequest, period: str | None = None) -> dict[str, Any]:
    """The boards of ``period`` (``30d``, the default, or ``quarter``): people and
    executives who chose to appear, teams by average points per active member (teams
    under the smallest group are only counted). 403 for a person when the organisation
    shows bands only."""
    actor = permit(request, "recognition.view_own")
    span = _window(actor, period)
    ranked = boards.boards_mode(actor.organisation) == RecognitionSettings.Boards.RANKED
    if not ranked and not allowed(actor, "recognition.view"):
        raise ApiError(
            403,
            "bands_only",
            "The organisation shows each person their band only: ask /recognition/me/band.",
        )
    found = boards.boards(actor.organisation, span)
    return {
        "period": span.period,
        "start": span.start.isoformat(),
        "end": span.end.isoformat(),
        "people": [vars(line) for line in found.people],
        "executives": [vars(line) for line in found.executives],
        "teams": [vars(team) for team in found.teams],
        "teams_too_small": found.too_small,
        "smallest_group": found.threshold,
    }


@router.get("/me/band", response={200: BandOut, **ERRORS})
def my_band(request: HttpRequest, period: str | None = None) -> dict[str, Any]:
    """Where I stand in ``period``: my "top N %" band among the active members (100: the
    second half; none without points or in too small a group) and against my team."""
    actor = permit(request, "recognition.view_own")
    band = boards.band_of(_person(actor), _window(actor, period))
    return {
        "period": band.window.period,
        "points": band.points,
        "member": band.member,
        "percentile": band.percentile,
        "team": band.team,
        "team_average": band.team_average,
        "sentences": band.sentences(),
    }


@router.put("/me/choices", response={200: ChoicesOut, **ERRORS})
def set_my_choices(request: HttpRequest, payload: ChoicesIn) -> dict[str, bool]:
    """Whether my name and points appear on the boards (off by default), and my badges."""
    actor = permit(request, "recognition.manage_own")
    _person(actor)
    profile = boards_actions.set_choices(actor, **payload.dict())
    return {"on_boards": profile.on_boards, "show_badges": profile.show_badges}


@router.get("/me/choices", response={200: ChoicesOut, **ERRORS})
def get_my_choices(request: HttpRequest) -> dict[str, bool]:
    actor = permit(request, "recognition.view_own")
    profile = profile_of(_person(actor))
    return {"on_boards": profile.on_boards, "show_badges": profile.show_badges}


@router.get("/settings", response={200: BoardsSettingOut, **ERRORS})
def get_settings(request: HttpRequest) -> dict[str, str]:
    """How the boards are shown to people: ``ranked`` or ``bands`` (bands only)."""
    actor = permit(request, "recognition.view")
    return {"boards": boards.boards_mode(actor.organisation)}


@router.put("/settings", response={200: BoardsSettingOut, **ERRORS})
def put_settings(request: HttpRequest, payload: BoardsSettingIn) -> dict[str, str]:
    actor = permit(request, "recognition.manage")
    return {"boards": boards_actions.set_boards(actor, payload.boards).boards}


@router.put("/people/{person_id}/executive", response={200: ExecutiveOut, **ERRORS})
def set_executive(request: HttpRequest, person_id: Id, payload: ExecutiveIn) -> dict[str, Any]:
    """Puts the person on the executives' board (compared among executives, in no team)
    or takes them off it."""
    actor = permit(request, "recognition.manage")
    person = get_object_or_404(
        Person, organisation=actor.organisation, anonymised_at__isnull=True, pk=person_id
    )
    profile = boards_actions.set_executive(actor, person, payload.executive)
    return {"person_id": person.pk, "executive": profile.executive}
