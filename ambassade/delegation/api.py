"""Delegated drafts under /api/v1/delegation/: my delegates and whom I write for, naming
and ending a delegation, writing a draft, and the principal's approval or refusal.

A delegate reads the principal's connected accounts as network and handle only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ApiError, ErrorResponse, PagePagination, permit, permit_person, typed
from ambassade.core.api_types import Code, Id, InputSchema, LocalMoment, Text
from ambassade.delegation import actions, selectors
from ambassade.delegation.models import Delegation, Draft
from ambassade.people.models import Person
from ambassade.sharing import scheduling
from ambassade.sharing.actions.shares import TooSimilar
from ambassade.sharing.registry import display_name

router = Router(tags=["delegation"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class DelegationPersonOut(Schema):
    id: int
    name: str
    job_title: str


class DelegationAccountOut(Schema):
    id: int
    network: str
    network_name: str
    handle: str


class DelegationOut(Schema):
    id: int
    principal: DelegationPersonOut
    delegate: DelegationPersonOut
    current: bool
    granted_at: datetime
    ended_at: datetime | None
    accounts: list[DelegationAccountOut] | None = Field(
        None, description="To the delegate, of a current delegation: where they may propose."
    )


class DraftOut(Schema):
    id: int
    delegation_id: int
    principal_id: int
    delegate_id: int
    item_id: int
    item_title: str
    text: str
    accounts: list[DelegationAccountOut]
    suggested_at: datetime | None
    status: str = Field(description="pending, approved, refused or withdrawn.")
    status_name: str
    written_at: datetime
    decided_at: datetime | None
    edited: bool
    note: str
    share_id: int | None


class DelegateIn(InputSchema):
    delegate_id: Id


class DraftIn(InputSchema):
    delegation_id: Id
    item_id: Id
    text: Text = Field(..., max_length=3000)
    account_ids: list[Id] = Field(..., min_length=1, max_length=20)
    suggested_at: LocalMoment | None = Field(
        None, description="Without an offset: in the delegate's time zone."
    )


class ApproveIn(InputSchema):
    text: Text | None = Field(
        None, max_length=3000, description="The edited text; absent: the draft as written."
    )
    accept_similar: bool = False


class RefuseIn(InputSchema):
    note: Text = Field("", max_length=500)


def _person_out(person: Person) -> dict[str, Any]:
    return {"id": person.pk, "name": person.full_name, "job_title": person.job_title}


def _account_out(account: Any) -> dict[str, Any]:
    return {
        "id": account.pk,
        "network": account.network,
        "network_name": display_name(account.network),
        "handle": account.handle,
    }


def delegation_out(delegation: Delegation, *, with_accounts: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": delegation.pk,
        "principal": _person_out(delegation.principal),
        "delegate": _person_out(delegation.delegate),
        "current": delegation.current,
        "granted_at": delegation.granted_at,
        "ended_at": delegation.ended_at,
        "accounts": None,
    }
    if with_accounts and delegation.current:
        out["accounts"] = [
            _account_out(account) for account in selectors.accounts_of(delegation.principal)
        ]
    return out


def draft_out(draft: Draft) -> dict[str, Any]:
    return {
        "id": draft.pk,
        "delegation_id": draft.delegation_id,
        "principal_id": draft.delegation.principal_id,
        "delegate_id": draft.delegation.delegate_id,
        "item_id": draft.item_id,
        "item_title": draft.item.title,
        "text": draft.text,
        "accounts": [_account_out(account) for account in draft.accounts.all()],
        "suggested_at": draft.suggested_at,
        "status": draft.status,
        "status_name": str(draft.get_status_display()),
        "written_at": draft.written_at,
        "decided_at": draft.decided_at,
        "edited": draft.edited,
        "note": draft.note,
        "share_id": draft.share_id,
    }


class Mapped:
    """A queryset whose page is turned into output rows (for the paginator)."""

    def __init__(self, queryset: QuerySet[Any], mapper: Any) -> None:
        self.queryset, self.mapper = queryset, mapper

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [self.mapper(row) for row in self.queryset[window]]


@router.get("/delegation/delegates", response={200: list[DelegationOut], 403: ErrorResponse})
def my_delegates(request: HttpRequest) -> list[dict[str, Any]]:
    """My current and past delegates, current first."""
    _actor, person = permit_person(request, "delegation.view_own")
    return [delegation_out(found) for found in selectors.delegates_of(person)]


@router.post("/delegation/delegates", response={201: DelegationOut, **ERRORS})
def name_delegate(request: HttpRequest, payload: DelegateIn) -> Status:
    """Name a colleague who writes drafts for me; 422 on ``delegate_id`` otherwise."""
    actor, _person = permit_person(request, "delegation.manage_own")
    return Status(201, delegation_out(actions.grant(actor, payload.delegate_id)))


@router.get("/delegation/principals", response={200: list[DelegationOut], 403: ErrorResponse})
def my_principals(request: HttpRequest) -> list[dict[str, Any]]:
    """Whom I write for, with their connected accounts (network and handle) while current."""
    _actor, person = permit_person(request, "delegation.view_own")
    return [delegation_out(found, with_accounts=True) for found in selectors.principals_of(person)]


@router.post("/delegation/delegations/{delegation_id}/end", response={200: DelegationOut, **ERRORS})
def end_delegation(request: HttpRequest, delegation_id: Id) -> dict[str, Any]:
    """Either side ends a delegation; the pending drafts are withdrawn (404 for others)."""
    actor, _person = permit_person(request, "delegation.manage_own")
    return delegation_out(actions.end(actor, delegation_id))


@router.get("/delegation/drafts", response=list[DraftOut])
@paginate(PagePagination)
@typed
def my_drafts(request: HttpRequest, side: Code = "principal") -> Any:
    """Drafts written for me (``side=principal``) or by me (``side=delegate``), newest first."""
    _actor, person = permit_person(request, "delegation.view_own")
    if side == "delegate":
        return Mapped(selectors.drafts_written(person), draft_out)
    if side != "principal":
        raise ApiError(422, "invalid", "side is principal or delegate.", {"field": "side"})
    return Mapped(selectors.drafts_to_decide(person), draft_out)


@router.get("/delegation/drafts/{draft_id}", response={200: DraftOut, **ERRORS})
def get_draft(request: HttpRequest, draft_id: Id) -> dict[str, Any]:
    """One draft, to its principal and its delegate only (404 for anyone else)."""
    actor = permit(request, "delegation.view_own")
    found, _side = selectors.readable_draft(actor, draft_id)
    return draft_out(found)


@router.post("/delegation/drafts", response={201: DraftOut, **ERRORS})
def write_draft(request: HttpRequest, payload: DraftIn) -> Status:
    """Write a draft for the person I write for; it waits for their approval."""
    actor, person = permit_person(request, "delegation.manage_own")
    at = payload.suggested_at
    if at is not None and timezone.is_naive(at):
        at = at.replace(tzinfo=scheduling.zone_of(person))
    draft = actions.write_draft(
        actor,
        payload.delegation_id,
        item_id=payload.item_id,
        text=payload.text,
        account_ids=list(payload.account_ids),
        suggested_at=at,
    )
    return Status(201, draft_out(selectors.readable_draft(actor, draft.pk)[0]))


@router.post("/delegation/drafts/{draft_id}/approve", response={200: DraftOut, **ERRORS})
def approve_draft(request: HttpRequest, draft_id: Id, payload: ApproveIn) -> dict[str, Any]:
    """Approve a draft written for me, as is or with ``text`` edited: it becomes my share,
    under every rule of sharing (422 with the reason otherwise)."""
    actor, _person = permit_person(request, "delegation.manage_own")
    try:
        actions.approve(actor, draft_id, text=payload.text, accept_similar=payload.accept_similar)
    except TooSimilar as error:
        raise ApiError(
            422,
            "too_similar",
            error.messages[0],
            {"similarity": error.score, "blocking": error.blocking},
        ) from None
    return draft_out(selectors.readable_draft(actor, draft_id)[0])


@router.post("/delegation/drafts/{draft_id}/refuse", response={200: DraftOut, **ERRORS})
def refuse_draft(request: HttpRequest, draft_id: Id, payload: RefuseIn) -> dict[str, Any]:
    """Refuse a draft written for me, with an optional note to my delegate."""
    actor, _person = permit_person(request, "delegation.manage_own")
    actions.refuse(actor, draft_id, payload.note)
    return draft_out(selectors.readable_draft(actor, draft_id)[0])
