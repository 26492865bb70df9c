"""Prize draws under /api/v1/recognition/: read and entered by everyone, written and
drawn by the working group, verified by any member once drawn."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from ambassade.core import display
from ambassade.core.api import ApiError, ErrorResponse, permit
from ambassade.core.api_types import Day, Id, InputSchema, Text, Trimmed, omittable
from ambassade.core.authz import Actor
from ambassade.recognition import draw_procedure, draws, draws_selectors
from ambassade.recognition.models import Draw

router = Router(tags=["recognition"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}
BOUND = 10**9  # wide: the action names what is wrong within it


class DrawOut(Schema):
    id: int
    name: str
    prize: str
    rules: str
    opens_on: date
    closes_on: date
    winners: int
    cap: int | None = Field(description="Points counted at most per person; null: no cap")
    status: str = Field(description="draft, published, drawn or cancelled")
    status_name: str
    seed_hash: str = Field(description="SHA-256 of the secret seed, shown once published")
    seed: str = Field(description="The seed, revealed at the draw")
    open: bool = Field(description="Entries are taken")
    entered: bool = Field(description="The person asking has entered")
    drawn_at: datetime | None


class DrawIn(InputSchema):
    name: Trimmed = Field(..., max_length=200)
    prize: Text = Field(..., max_length=2000)
    rules: Text = Field("", max_length=5000)
    opens_on: Day
    closes_on: Day
    winners: int = Field(1, ge=-BOUND, le=BOUND, description="From 1 to 20")
    cap: int | None = Field(None, ge=-BOUND, le=BOUND, description="At least 1, or null")


class DrawPatch(InputSchema):
    name: Trimmed = omittable(max_length=200)
    prize: Text = omittable(max_length=2000)
    rules: Text = omittable(max_length=5000)
    opens_on: Day = omittable()
    closes_on: Day = omittable()
    winners: int = omittable(ge=-BOUND, le=BOUND, description="From 1 to 20")
    cap: int | None = Field(None, ge=-BOUND, le=BOUND, description="At least 1, or null")


class EntrantOut(Schema):
    label: str = Field(description="The name if shown on boards, else 'Participant #n'")
    weight: int
    position: int | None = Field(description="The winner's rank; null: not drawn")


class VerificationOut(Schema):
    draw_id: int
    seed: str
    seed_hash: str
    procedure: str
    entrants: list[EntrantOut]
    seed_matches_hash: bool
    winners_match: bool


def _out(draw: Draw, actor: Actor) -> dict[str, Any]:
    person = actor.person
    return {
        **draws.values_of(draw),
        "id": draw.pk,
        "status": draw.status,
        "status_name": display.name("draw_status", draw.status),
        "seed_hash": draw.seed_hash,
        "seed": draw.seed,
        "open": draws.is_open(draw),
        "entered": person is not None and draw.entries.filter(person=person).exists(),
        "drawn_at": draw.drawn_at,
    }


def _draw(actor: Actor, draw_id: int) -> Draw:
    return get_object_or_404(draws_selectors.visible_to(actor), pk=draw_id)


def _managed(request: HttpRequest, draw_id: int) -> tuple[Actor, Draw]:
    actor = permit(request, "recognition.manage")
    return actor, get_object_or_404(Draw, organisation=actor.organisation, pk=draw_id)


@router.get("/draws", response={200: list[DrawOut], **ERRORS})
def list_draws(request: HttpRequest) -> list[dict[str, Any]]:
    """The organisation's draws; drafts only for those who edit them."""
    actor = permit(request, "recognition.view_own")
    return [_out(draw, actor) for draw in draws_selectors.visible_to(actor)[:200]]


@router.post("/draws", response={201: DrawOut, **ERRORS})
def create_draw(request: HttpRequest, payload: DrawIn) -> Status:
    actor = permit(request, "recognition.manage")
    return Status(201, _out(draws.create_draw(actor, **payload.dict()), actor))


@router.patch("/draws/{draw_id}", response={200: DrawOut, **ERRORS})
def change_draw(request: HttpRequest, draw_id: Id, payload: DrawPatch) -> dict[str, Any]:
    """Only a draft changes; only the fields sent."""
    actor, draw = _managed(request, draw_id)
    return _out(draws.change_draw(actor, draw, **payload.dict(exclude_unset=True)), actor)


@router.post("/draws/{draw_id}/publish", response={200: DrawOut, **ERRORS})
def publish(request: HttpRequest, draw_id: Id) -> dict[str, Any]:
    """The rules are fixed and the seed's hash shown from now on."""
    actor, draw = _managed(request, draw_id)
    return _out(draws.publish(actor, draw), actor)


@router.post("/draws/{draw_id}/draw", response={200: DrawOut, **ERRORS})
def draw_winners(request: HttpRequest, draw_id: Id) -> dict[str, Any]:
    """After the closing day only; reveals the seed and records every weight."""
    actor, draw = _managed(request, draw_id)
    return _out(draws.draw_winners(actor, draw), actor)


@router.post("/draws/{draw_id}/cancel", response={200: DrawOut, **ERRORS})
def cancel(request: HttpRequest, draw_id: Id) -> dict[str, Any]:
    actor, draw = _managed(request, draw_id)
    return _out(draws.cancel(actor, draw), actor)


def _person(request: HttpRequest) -> Actor:
    actor = permit(request, "recognition.manage_own")
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor


@router.post("/draws/{draw_id}/entry", response={200: DrawOut, **ERRORS})
def enter(request: HttpRequest, draw_id: Id) -> dict[str, Any]:
    """I enter the draw (while it is open): nobody is entered without choosing to."""
    actor = _person(request)
    draw = _draw(actor, draw_id)
    draws.enter(actor, draw)
    return _out(draw, actor)


@router.delete("/draws/{draw_id}/entry", response={200: DrawOut, **ERRORS})
def leave(request: HttpRequest, draw_id: Id) -> dict[str, Any]:
    actor = _person(request)
    draw = _draw(actor, draw_id)
    draws.leave(actor, draw)
    return _out(draw, actor)


@router.get("/draws/{draw_id}/verification", response={200: VerificationOut, **ERRORS})
def verification(request: HttpRequest, draw_id: Id) -> dict[str, Any]:
    """Everything needed to recompute the winners; 422 before the draw."""
    actor = permit(request, "recognition.view_own")
    draw = _draw(actor, draw_id)
    if not draw.seed:
        raise ApiError(422, "invalid", "This draw has not been drawn yet.")
    checked = draw_procedure.verify(draw)
    return {
        "draw_id": draw.pk,
        "seed": draw.seed,
        "seed_hash": draw.seed_hash,
        "procedure": str(draws_selectors.PROCEDURE),
        "entrants": [
            {"label": line.label, "weight": line.weight, "position": line.position}
            for line in draws_selectors.entrants(draw)
        ],
        "seed_matches_hash": checked.seed_matches_hash,
        "winners_match": checked.winners_match,
    }
