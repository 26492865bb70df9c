"""People management under /api/v1/: create and change people, roles, sign-in invitations,
departures, HR notes, personal data and erasure, departments and sites."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Schema, Status

from ambassade.core.api import ErrorResponse, permit
from ambassade.core.api_types import Code, Day, Id, InputSchema, Name, Text, Trimmed, omittable
from ambassade.core.authz import Actor
from ambassade.people import actions
from ambassade.people.api_router import router
from ambassade.people.models import Department, HrNote, Person, Site
from ambassade.people.schemas import PersonOut


class PersonIn(InputSchema):
    first_name: Name = Field(..., max_length=100)
    last_name: Name = Field(..., max_length=100)
    email: Name = Field(..., max_length=254)
    job_title: Text = Field("", max_length=150)
    department_id: Id | None = None
    site_id: Id | None = None
    languages: list[Code] = Field([], max_length=10)
    manager_id: Id | None = None
    employment_status: Code = "active"
    start_date: Day | None = None
    end_date: Day | None = None
    membership: Code = Field(
        "employee", description="employee, or partner (no manager, department, site)."
    )


class PersonPatch(InputSchema):
    first_name: Name = omittable(max_length=100)
    last_name: Name = omittable(max_length=100)
    email: Name = omittable(max_length=254)
    job_title: Text = omittable(max_length=150)
    department_id: Id | None = None
    site_id: Id | None = None
    languages: list[Code] = omittable(max_length=10)
    manager_id: Id | None = None
    employment_status: Code = omittable()
    start_date: Day | None = None
    end_date: Day | None = None
    membership: Code = omittable(description="employee or partner.")


def _action_data(fields: dict[str, Any]) -> dict[str, Any]:
    renamed = {"department_id": "department", "site_id": "site", "manager_id": "manager"}
    return {renamed.get(name, name): value for name, value in fields.items()}


def _person(actor: Actor, person_id: int) -> Person:
    return get_object_or_404(
        Person.objects.select_related("department", "site", "manager", "organisation"),
        organisation=actor.organisation,
        pk=person_id,
    )


def _fresh(person: Person) -> Person:
    return Person.objects.select_related("department", "site").get(pk=person.pk)


@router.post("/people", response={201: PersonOut, 403: ErrorResponse, 422: ErrorResponse})
def create_person(request: HttpRequest, payload: PersonIn) -> Status:
    actor = permit(request, "people.manage")
    person = actions.create_person(actor, _action_data(payload.dict()))
    return Status(201, _fresh(person))


@router.patch(
    "/people/{int:person_id}",
    response={200: PersonOut, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
)
def update_person(request: HttpRequest, person_id: Id, payload: PersonPatch) -> Person:
    actor = permit(request, "people.manage")
    person = _person(actor, person_id)
    actions.update_person(actor, person, _action_data(payload.dict(exclude_unset=True)))
    return _fresh(person)


class RolesIn(InputSchema):
    roles: list[Code] = Field(
        ..., max_length=20, description="Every console role the person should hold"
    )


class RolesOut(Schema):
    roles: list[str]


@router.put(
    "/people/{int:person_id}/roles",
    response={200: RolesOut, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
)
def set_roles(request: HttpRequest, person_id: Id, payload: RolesIn) -> dict[str, list[str]]:
    """Replaces the console roles; ``ambassador`` only comes from program enrolment."""
    actor = permit(request, "roles.manage")
    person = _person(actor, person_id)
    actions.set_roles(actor, person, payload.roles)
    return {"roles": sorted(person.role_assignments.values_list("role", flat=True))}


class SignInInvitationOut(Schema):
    id: int
    created_at: datetime
    expires_at: datetime


@router.post(
    "/people/{int:person_id}/account-invitation",
    response={201: SignInInvitationOut, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
)
def invite_to_sign_in(request: HttpRequest, person_id: Id) -> Status:
    """E-mails a one-time link (valid 14 days) to choose a password and sign in."""
    actor = permit(request, "people.manage")
    invitation = actions.invite_to_sign_in(actor, _person(actor, person_id))
    return Status(201, invitation)


class DepartureIn(InputSchema):
    end_date: Day | None = Field(None, description="Last working day; the departure runs then")
    now: bool = Field(False, description="Record the departure today")


@router.post(
    "/people/{int:person_id}/departure",
    response={200: PersonOut, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
)
def record_departure(request: HttpRequest, person_id: Id, payload: DepartureIn) -> Person:
    actor = permit(request, "people.manage")
    person = _person(actor, person_id)
    if payload.now:
        actions.mark_left_now(actor, person)
    else:
        actions.update_person(actor, person, {"end_date": payload.end_date})
    return _fresh(person)


class HrNoteIn(InputSchema):
    text: Trimmed = Field(..., max_length=5000)


class HrNoteOut(Schema):
    id: int
    text: str
    author: str
    created_at: datetime

    @staticmethod
    def resolve_author(note: HrNote) -> str:
        return note.author_label


@router.get(
    "/people/{int:person_id}/hr-notes",
    response={200: list[HrNoteOut], 403: ErrorResponse, 404: ErrorResponse},
)
def list_hr_notes(request: HttpRequest, person_id: Id) -> QuerySet[HrNote]:
    actor = permit(request, "hr.notes")
    return HrNote.objects.filter(person=_person(actor, person_id))


@router.post(
    "/people/{int:person_id}/hr-notes",
    response={201: HrNoteOut, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
)
def add_hr_note(request: HttpRequest, person_id: Id, payload: HrNoteIn) -> Status:
    actor = permit(request, "hr.notes")
    note = actions.add_hr_note(actor, _person(actor, person_id), payload.text)
    return Status(201, note)


@router.get(
    "/people/{int:person_id}/personal-data",
    response={200: None, 403: ErrorResponse, 404: ErrorResponse},
)
def export_personal_data(request: HttpRequest, person_id: Id) -> HttpResponse:
    """A ZIP of JSON files, one per part of Ambassade that holds data about the person."""
    from ambassade.people.person_views import zip_response

    actor = permit(request, "personal_data.manage")
    person = _person(actor, person_id)
    return zip_response(actions.export_personal_data(actor, person), person)


@router.post(
    "/people/{int:person_id}/erasure",
    response={204: None, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse},
)
def erase(request: HttpRequest, person_id: Id) -> Status:
    """Anonymises the person now (as the retention period would): cannot be undone."""
    actor = permit(request, "personal_data.manage")
    actions.anonymise_person(actor, _person(actor, person_id), reason="erasure")
    return Status(204, None)


class DepartmentOut(Schema):
    id: int
    name: str


class DepartmentIn(InputSchema):
    name: Name = Field(..., max_length=120)


class SiteOut(Schema):
    id: int
    name: str
    country: str


class SiteIn(InputSchema):
    name: Name = Field(..., max_length=120)
    country: Code = Field("", max_length=2)


@router.get("/departments", response={200: list[DepartmentOut], 403: ErrorResponse})
def list_departments(request: HttpRequest) -> QuerySet[Department]:
    actor = permit(request, "people.view")
    return Department.objects.filter(organisation=actor.organisation)


@router.post("/departments", response={201: DepartmentOut, 403: ErrorResponse, 422: ErrorResponse})
def create_department(request: HttpRequest, payload: DepartmentIn) -> Status:
    actor = permit(request, "people.manage")
    return Status(201, actions.create_department(actor, payload.name))


@router.get("/sites", response={200: list[SiteOut], 403: ErrorResponse})
def list_sites(request: HttpRequest) -> QuerySet[Site]:
    actor = permit(request, "people.view")
    return Site.objects.filter(organisation=actor.organisation)


@router.post("/sites", response={201: SiteOut, 403: ErrorResponse, 422: ErrorResponse})
def create_site(request: HttpRequest, payload: SiteIn) -> Status:
    actor = permit(request, "people.manage")
    return Status(201, actions.create_site(actor, payload.name, payload.country))
