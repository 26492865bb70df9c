"""The alumni directory and the end of the alumni offer under /api/v1/
(docs/decisions/0039-alumni-ambassadors.md). The alumni's feed, shares, programs and
figures are the ordinary operations, which their role opens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from ambassade.alumni import actions, selectors
from ambassade.alumni.models import DirectoryEntry
from ambassade.core.api import ApiError, ErrorResponse, actor_of, permit
from ambassade.core.api_types import Id, InputSchema, Text
from ambassade.core.authz import Actor, allowed
from ambassade.people import actions as people_actions
from ambassade.people.actions.alumni import REASON_LIMIT
from ambassade.people.models import Person

router = Router(tags=["alumni"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class DirectoryEntryOut(Schema):
    listed: bool
    current_role: str


class DirectoryEntryIn(InputSchema):
    listed: bool
    current_role: Text = Field("", max_length=150)


class DirectoryRowOut(Schema):
    person_id: int
    name: str
    year_left: int | None
    current_role: str

    @staticmethod
    def resolve_name(entry: DirectoryEntry) -> str:
        return entry.person.full_name


class EndOfferIn(InputSchema):
    reason: Text = Field(
        ..., min_length=1, max_length=REASON_LIMIT, description="Kept in the audit log only."
    )


class EndOfferOut(Schema):
    person_id: int
    alumni: bool


@router.get("/me/alumni/directory-entry", response={200: DirectoryEntryOut, **ERRORS})
def my_entry(request: HttpRequest) -> Any:
    """One's own choice: listed in the alumni directory or not, and what one does now."""
    actor = permit(request, "alumni.directory_own")
    assert actor.person is not None
    entry = selectors.entry_of(actor.person)
    return entry or DirectoryEntryOut(listed=False, current_role="")


@router.put("/me/alumni/directory-entry", response={200: DirectoryEntryOut, **ERRORS})
def update_my_entry(request: HttpRequest, payload: DirectoryEntryIn) -> DirectoryEntry:
    actor = permit(request, "alumni.directory_own")
    return actions.update_entry(actor, listed=payload.listed, current_role=payload.current_role)


@router.get("/alumni/directory", response={200: list[DirectoryRowOut], **ERRORS})
def alumni_directory(request: HttpRequest) -> list[DirectoryEntry]:
    """Listed alumni: for HR and internal communications, and for alumni who are listed."""
    actor = actor_for_directory(request)
    return list(selectors.directory(actor.organisation))


def actor_for_directory(request: HttpRequest) -> Actor:
    actor = actor_of(request)
    if allowed(actor, "alumni.directory"):
        return actor
    if allowed(actor, "alumni.directory_own") and actor.person is not None:
        if selectors.is_listed(actor.person):
            return actor
        raise ApiError(
            403,
            "not_listed",
            "Appear in the alumni directory to see the other listed alumni.",
            {"permission": "alumni.directory_own"},
        )
    return permit(request, "alumni.directory")


@router.post("/people/{person_id}/alumni-offer/end", response={200: EndOfferOut, **ERRORS})
def end_alumni_offer(request: HttpRequest, person_id: Id, payload: EndOfferIn) -> EndOfferOut:
    """Closes the person's alumni space: their alumni enrolments end, their waiting posts
    are cancelled, their accounts' tokens forgotten; they get a neutral message."""
    actor = permit(request, "alumni.end_offer")
    person = get_object_or_404(Person, organisation=actor.organisation, pk=person_id)
    person = people_actions.end_alumni_offer(actor, person, reason=payload.reason)
    return EndOfferOut(person_id=person.pk, alumni=person.alumni)
