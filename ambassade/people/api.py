"""People, the signed-in person, and API tokens, under /api/v1/."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ApiError, ErrorResponse, PagePagination, permit
from ambassade.core.api_types import Code, Id, InputSchema, Moment, Trimmed
from ambassade.core.authz import Actor, allowed
from ambassade.people import actions
from ambassade.people.api_router import router
from ambassade.people.models import ApiToken, Person
from ambassade.people.schemas import PersonOut


class MeOut(Schema):
    person: PersonOut
    organisation: str
    roles: list[str]


class TokenIn(InputSchema):
    name: Trimmed = Field(..., max_length=100)
    scopes: list[Code] = Field(..., max_length=50)
    organisation_wide: bool = False
    expires_at: Moment | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    organisation_wide: bool
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_organisation_wide(token: ApiToken) -> bool:
        return token.is_organisation_token


class TokenCreated(TokenOut):
    secret: str = Field(..., description="Shown once; store it now.")


@router.get("/me", response={200: MeOut, 401: ErrorResponse, 403: ErrorResponse})
def me(request: HttpRequest) -> dict:
    actor = permit(request, "profile.view")
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return {
        "person": actor.person,
        "organisation": actor.organisation.name,
        "roles": sorted(actor.roles - {"employee"}),
    }


@router.get("/people", response=list[PersonOut])
@paginate(PagePagination)
def list_people(request: HttpRequest, department: str | None = None) -> object:
    actor = permit(request, "people.view")
    people = Person.objects.filter(organisation=actor.organisation).select_related(
        "department", "site"
    )
    if department:
        people = people.filter(department__name=department)
    return people


@router.get("/people/{int:person_id}", response={200: PersonOut, 404: ErrorResponse})
def get_person(request: HttpRequest, person_id: Id) -> Person:
    actor = permit(request, "people.view")
    return get_object_or_404(
        Person.objects.select_related("department", "site"),
        organisation=actor.organisation,
        pk=person_id,
    )


def _tokens_visible_to(request: HttpRequest) -> tuple[Actor, QuerySet[ApiToken]]:
    """Admins see every token of the organisation; everyone else only their own."""
    actor = permit(request, "tokens.manage_own")
    tokens = ApiToken.objects.filter(organisation=actor.organisation)
    if not allowed(actor, "tokens.manage_organisation"):
        tokens = tokens.filter(person=actor.person)
    return actor, tokens


@router.get("/tokens", response=list[TokenOut])
@paginate(PagePagination)
def list_tokens(request: HttpRequest) -> object:
    _, tokens = _tokens_visible_to(request)
    return tokens


@router.post("/tokens", response={201: TokenCreated, 403: ErrorResponse, 422: ErrorResponse})
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    actor = permit(request, "tokens.manage_own")
    token, secret = actions.create_api_token(
        actor,
        name=payload.name,
        scopes=payload.scopes,
        organisation_wide=payload.organisation_wide,
        expires_at=payload.expires_at,
    )
    token.secret = secret  # type: ignore[attr-defined]  # shown in this response only
    return Status(201, token)


@router.delete("/tokens/{token_id}", response={204: None, 404: ErrorResponse})
def revoke_token(request: HttpRequest, token_id: Id) -> Status:
    actor, tokens = _tokens_visible_to(request)
    token = get_object_or_404(tokens, pk=token_id)
    actions.revoke_api_token(actor, token)
    return Status(204, None)


# The management, import and lifecycle operations live in their own modules; importing
# them registers their operations on the same router.
from ambassade.people import (  # noqa: E402, F401
    api_audiences,
    api_imports,
    api_manage,
    api_self,
)
