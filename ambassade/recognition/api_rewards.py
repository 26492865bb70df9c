"""Rewards under /api/v1/recognition/: the catalogue (read by everyone, written by the
working group), requests (everyone, for themselves) and their fulfilment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from ambassade.core import display
from ambassade.core.api import ApiError, ErrorResponse, permit
from ambassade.core.api_types import Code, Id
from ambassade.core.authz import Actor, allowed
from ambassade.people.models import Person
from ambassade.recognition import rewards, rewards_selectors
from ambassade.recognition.api_schemas_rewards import (
    RewardAnswerIn,
    RewardIn,
    RewardOut,
    RewardPatch,
    RewardRequestIn,
    RewardRequestOut,
)
from ambassade.recognition.models import RequestStatus, Reward, RewardRequest

router = Router(tags=["recognition"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


def _person(request: HttpRequest, permission: str) -> tuple[Actor, Person]:
    actor = permit(request, permission)
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor, actor.person


def _reward_out(reward: Reward, person: Person | None) -> dict[str, Any]:
    return {
        **rewards.values_of(reward),
        "id": reward.pk,
        "within_reach": person is not None and rewards.is_eligible(person, reward),
        "created_at": reward.created_at,
        "updated_at": reward.updated_at,
    }


def _request_out(found: RewardRequest) -> dict[str, Any]:
    return {
        "id": found.pk,
        "reward_id": found.reward_id,
        "reward_name": found.reward.name,
        "person_id": found.person_id,
        "person_name": str(found.person),
        "cost": found.cost,
        "status": found.status,
        "status_name": display.name("reward_request_status", found.status),
        "note": found.note,
        "answer": found.answer,
        "requested_at": found.requested_at,
        "approved_at": found.approved_at,
        "sent_at": found.sent_at,
        "cancelled_at": found.cancelled_at,
    }


@router.get("/rewards", response={200: list[RewardOut], **ERRORS})
def list_rewards(request: HttpRequest) -> list[dict[str, Any]]:
    """The rewards offered; those who edit the catalogue also see the retired ones."""
    actor = permit(request, "recognition.view_own")
    found = Reward.objects.filter(organisation=actor.organisation).prefetch_related("eligible")
    if not allowed(actor, "recognition.manage"):
        found = found.filter(active=True)
    return [_reward_out(reward, actor.person) for reward in found[:500]]


@router.post("/rewards", response={201: RewardOut, **ERRORS})
def create_reward(request: HttpRequest, payload: RewardIn) -> Status:
    actor = permit(request, "recognition.manage")
    return Status(201, _reward_out(rewards.create_reward(actor, **payload.dict()), actor.person))


@router.patch("/rewards/{reward_id}", response={200: RewardOut, **ERRORS})
def change_reward(request: HttpRequest, reward_id: Id, payload: RewardPatch) -> dict[str, Any]:
    """Only the fields sent change; "active": false retires the reward."""
    actor = permit(request, "recognition.manage")
    reward = get_object_or_404(Reward, organisation=actor.organisation, pk=reward_id)
    changed = rewards.change_reward(actor, reward, **payload.dict(exclude_unset=True))
    return _reward_out(changed, actor.person)


@router.post("/rewards/{reward_id}/requests", response={201: RewardRequestOut, **ERRORS})
def request_reward(
    request: HttpRequest, reward_id: Id, payload: RewardRequestIn | None = None
) -> Status:
    """Takes the reward's cost from my spendable points and one from its stock; 422 when
    none is left, beyond my balance, when it is for other programs or retired."""
    actor, _unused = _person(request, "recognition.manage_own")
    reward = get_object_or_404(Reward, organisation=actor.organisation, pk=reward_id)
    return Status(
        201, _request_out(rewards.request_reward(actor, reward, payload.note if payload else ""))
    )


@router.get("/me/reward-requests", response={200: list[RewardRequestOut], **ERRORS})
def my_requests(request: HttpRequest) -> list[dict[str, Any]]:
    _actor, person = _person(request, "recognition.view_own")
    return [_request_out(found) for found in rewards_selectors.requests_of(person)[:500]]


@router.get("/reward-requests", response={200: list[RewardRequestOut], **ERRORS})
def fulfilment_queue(request: HttpRequest, status: Code = "") -> list[dict[str, Any]]:
    """The organisation's requests, oldest first; ?status= one of requested, approved,
    sent, cancelled (none: those still to do, requested and approved)."""
    actor = permit(request, "recognition.fulfil")
    if status and status not in RequestStatus.values:
        raise ApiError(
            422,
            "invalid",
            "status: one of requested, approved, sent, cancelled.",
            [{"field": "status", "message": "Unknown status."}],
        )
    statuses = (status,) if status else rewards.OPEN
    found = rewards_selectors.queue(actor.organisation.pk, statuses)[:500]
    return [_request_out(one) for one in found]


def _answer(payload: RewardAnswerIn | None) -> str:
    return payload.answer if payload else ""


def _request(actor: Actor, request_id: int) -> RewardRequest:
    """The team finds every request of the organisation; a person only their own."""
    found = RewardRequest.objects.filter(organisation=actor.organisation, pk=request_id)
    if not allowed(actor, "recognition.fulfil"):
        found = found.filter(person=actor.person)
    return get_object_or_404(found.select_related("reward", "person"))


@router.post("/reward-requests/{request_id}/approve", response={200: RewardRequestOut, **ERRORS})
def approve(
    request: HttpRequest, request_id: Id, payload: RewardAnswerIn | None = None
) -> dict[str, Any]:
    actor = permit(request, "recognition.fulfil")
    return _request_out(rewards.approve(actor, _request(actor, request_id), _answer(payload)))


@router.post("/reward-requests/{request_id}/send", response={200: RewardRequestOut, **ERRORS})
def mark_sent(
    request: HttpRequest, request_id: Id, payload: RewardAnswerIn | None = None
) -> dict[str, Any]:
    """An approved request is marked sent: the end of its way."""
    actor = permit(request, "recognition.fulfil")
    return _request_out(rewards.mark_sent(actor, _request(actor, request_id), _answer(payload)))


@router.post("/reward-requests/{request_id}/cancel", response={200: RewardRequestOut, **ERRORS})
def cancel(
    request: HttpRequest, request_id: Id, payload: RewardAnswerIn | None = None
) -> dict[str, Any]:
    """Returns the points and the item, once. The team cancels what is not sent yet; a
    person their own request while it waits for approval."""
    try:
        actor = permit(request, "recognition.fulfil")
    except ApiError:
        actor = permit(request, "recognition.manage_own")
    return _request_out(rewards.cancel(actor, _request(actor, request_id), _answer(payload)))
