"""Programs, targets, charters, invitations and the person's enrolments, under /api/v1/."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ErrorResponse, PagePagination, permit, permit_person, typed
from ambassade.core.api_types import Amount, Code, Day, Id, InputSchema, Name, Text, omittable
from ambassade.core.authz import Actor
from ambassade.people.models import Person
from ambassade.programs import actions, selectors
from ambassade.programs.models import (
    AmbassadorType,
    CharterVersion,
    Enrolment,
    Invitation,
    KpiTarget,
    Program,
)

router = Router(tags=["programs"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class KpiTargetOut(Schema):
    id: int
    metric: str
    target: Decimal
    period_start: date
    period_end: date


class KpiTargetIn(InputSchema):
    metric: Code = Field(..., max_length=32)
    target: Amount
    period_start: Day
    period_end: Day


class KpiTargetPatch(InputSchema):
    metric: Code = omittable(max_length=32)
    target: Amount = omittable()
    period_start: Day = omittable()
    period_end: Day = omittable()


class ProgramOut(Schema):
    id: int
    name: str
    description: str
    objectives: list[str]
    owner_ids: list[int]
    working_group_ids: list[int]
    self_service: bool
    open_to_alumni: bool
    status: str
    targets: list[KpiTargetOut]

    @staticmethod
    def resolve_owner_ids(program: Program) -> list[int]:
        return [person.pk for person in program.owners.all()]

    @staticmethod
    def resolve_working_group_ids(program: Program) -> list[int]:
        return [person.pk for person in program.working_group.all()]

    @staticmethod
    def resolve_targets(program: Program) -> list[KpiTarget]:
        return list(program.targets.all())


class ProgramIn(InputSchema):
    name: Name = Field(..., max_length=120)
    description: Text = Field("", max_length=5000)
    objectives: list[Code] = Field(..., max_length=20)
    owner_ids: list[Id] | None = Field(None, max_length=100)
    working_group_ids: list[Id] = Field([], max_length=100)
    self_service: bool = False
    open_to_alumni: bool = False


class ProgramPatch(InputSchema):
    name: Name = omittable(max_length=120)
    description: Text = omittable(max_length=5000)
    objectives: list[Code] = omittable(max_length=20)
    owner_ids: list[Id] = omittable(max_length=100)
    working_group_ids: list[Id] = omittable(max_length=100)
    self_service: bool = omittable()
    open_to_alumni: bool = omittable()
    status: Code = omittable()


class CharterVersionOut(Schema):
    id: int
    number: int
    ambassador_kind: str = Field(description='"" for every ambassador, or a kind (alumni).')
    status: str
    body_fr: str = Field(description="The French text as people read it: sanitised HTML.")
    body_en: str = Field(description="The English text as people read it: sanitised HTML.")
    source_fr: str = Field(description="The French text as written, in Markdown (may be empty).")
    source_en: str = Field(description="The English text as written, in Markdown (may be empty).")
    change_summary: str
    content_hash: str
    published_at: datetime | None


class CharterVersionIn(InputSchema):
    body_fr: Name = Field(..., max_length=50000, description="In Markdown; HTML is sanitised.")
    body_en: Name = Field(..., max_length=50000, description="In Markdown; HTML is sanitised.")
    change_summary: Text = Field("", max_length=2000)
    ambassador_kind: Code = Field(
        "", description='A new draft only: "" for every ambassador, "alumni" for the alumni.'
    )


class ProgramInvitationOut(Schema):
    id: int
    program_id: int
    person_id: int
    ambassador_type: str
    campaign_id: int | None
    source: str
    status: str
    sent_at: datetime
    opened_at: datetime | None
    responded_at: datetime | None
    expires_at: datetime
    reminders_sent: int

    @staticmethod
    def resolve_ambassador_type(invitation: Invitation) -> str:
        return invitation.ambassador_type.kind


class InvitationsIn(InputSchema):
    person_ids: list[Id] = Field(..., min_length=1, max_length=1000)
    ambassador_type: Code = Field(..., max_length=32, description="kind, e.g. supporter")
    on_request: bool = Field(False, description="The person asked for this invitation")
    campaign_name: Name | None = Field(
        None, max_length=120, description="With a name: a campaign with reminders"
    )
    reminder_after_days: int = Field(7, ge=1, le=60)
    max_reminders: int = Field(2, ge=0, le=5)


class InvitationsCreated(Schema):
    invitations: list[ProgramInvitationOut]
    skipped_person_ids: list[int]
    campaign_id: int | None


class FunnelOut(Schema):
    invited: int
    opened: int
    accepted: int
    declined: int
    expired: int
    acceptance_rate: int | None


class CharterAcceptIn(InputSchema):
    accept_charter: bool = Field(..., description="I have read and accept the charter")


class EnrolmentOut(Schema):
    id: int
    program_id: int
    program: str
    ambassador_type: str
    status: str
    accepted_charter_version: int | None
    individual_visibility: bool
    contribution_report_consent: bool
    started_at: datetime
    ended_at: datetime | None
    needs_review: bool

    @staticmethod
    def resolve_program(enrolment: Enrolment) -> str:
        return enrolment.program.name

    @staticmethod
    def resolve_ambassador_type(enrolment: Enrolment) -> str:
        return enrolment.ambassador_type.kind

    @staticmethod
    def resolve_accepted_charter_version(enrolment: Enrolment) -> int | None:
        version = enrolment.accepted_version
        return version.number if version else None


class LeaveIn(InputSchema):
    anonymise_history: bool = False
    disconnect_accounts: bool = True


class VisibilityIn(InputSchema):
    individual_visibility: bool


class ReportConsentIn(InputSchema):
    contribution_report_consent: bool = Field(
        ..., description="HR and admins may download my contribution report for my annual review"
    )


class AmbassadorTypeOut(Schema):
    id: int
    kind: str
    label: str
    description: str
    required_training: str
    counts_in_evaluation: bool
    posting_guidance: str
    may_contact: bool


class AmbassadorTypePatch(InputSchema):
    name: Name = omittable(max_length=120)
    description: Text = omittable(max_length=5000)
    required_training: Text = omittable(max_length=5000)
    counts_in_evaluation: bool = omittable()
    posting_guidance: Text = omittable(max_length=5000)
    may_contact: bool = omittable()


def _program(actor: Actor, program_id: Id) -> Program:
    return get_object_or_404(Program, organisation=actor.organisation, pk=program_id)


def _fields(payload: Schema) -> dict[str, Any]:
    return {name: value for name, value in payload.dict().items() if value is not None}


# --- Programs and targets ---------------------------------------------------------------


@router.get("/programs", response=list[ProgramOut])
@paginate(PagePagination)
def list_programs(request: HttpRequest, status: str | None = None) -> QuerySet[Program]:
    actor = permit(request, "programs.view")
    programs = Program.objects.filter(organisation=actor.organisation).prefetch_related(
        "owners", "working_group", "targets"
    )
    if status:
        programs = programs.filter(status=status)
    return programs


@router.post("/programs", response={201: ProgramOut, **ERRORS})
def create_program(request: HttpRequest, payload: ProgramIn) -> Status:
    actor = permit(request, "programs.manage")
    fields = payload.dict()
    if fields["owner_ids"] is None:
        del fields["owner_ids"]
    return Status(201, actions.create_program(actor, **fields))


@router.get("/programs/{program_id}", response={200: ProgramOut, **ERRORS})
def get_program(request: HttpRequest, program_id: Id) -> Program:
    return _program(permit(request, "programs.view"), program_id)


@router.patch("/programs/{program_id}", response={200: ProgramOut, **ERRORS})
def update_program(request: HttpRequest, program_id: Id, payload: ProgramPatch) -> Program:
    actor = permit(request, "programs.manage")
    return actions.update_program(actor, _program(actor, program_id), **_fields(payload))


@router.get("/programs/{program_id}/targets", response={200: list[KpiTargetOut], **ERRORS})
def list_targets(request: HttpRequest, program_id: Id) -> list[KpiTarget]:
    return list(_program(permit(request, "programs.view"), program_id).targets.all())


@router.post("/programs/{program_id}/targets", response={201: KpiTargetOut, **ERRORS})
def add_target(request: HttpRequest, program_id: Id, payload: KpiTargetIn) -> Status:
    actor = permit(request, "programs.manage")
    return Status(201, actions.add_target(actor, _program(actor, program_id), **payload.dict()))


@router.patch("/programs/{program_id}/targets/{target_id}", response={200: KpiTargetOut, **ERRORS})
def update_target(
    request: HttpRequest, program_id: Id, target_id: Id, payload: KpiTargetPatch
) -> KpiTarget:
    actor = permit(request, "programs.manage")
    kpi = get_object_or_404(KpiTarget, program=_program(actor, program_id), pk=target_id)
    return actions.update_target(actor, kpi, **_fields(payload))


# --- Charter ----------------------------------------------------------------------------


@router.get(
    "/programs/{program_id}/charter-versions", response={200: list[CharterVersionOut], **ERRORS}
)
def list_charter_versions(request: HttpRequest, program_id: Id) -> list[CharterVersion]:
    actor = permit(request, "programs.view")
    return list(_program(actor, program_id).charter_versions.all())


@router.post("/programs/{program_id}/charter-versions", response={201: CharterVersionOut, **ERRORS})
def create_charter_draft(request: HttpRequest, program_id: Id, payload: CharterVersionIn) -> Status:
    actor = permit(request, "charter.manage")
    version = actions.save_charter_draft(actor, _program(actor, program_id), **payload.dict())
    return Status(201, version)


@router.post(
    "/programs/{program_id}/charter-versions/{version_id}/publish",
    response={200: CharterVersionOut, **ERRORS},
)
def publish_charter_version(request: HttpRequest, program_id: Id, version_id: Id) -> Any:
    actor = permit(request, "charter.manage")
    version = get_object_or_404(CharterVersion, program=_program(actor, program_id), pk=version_id)
    return actions.publish_charter(actor, version)


# --- Invitations ------------------------------------------------------------------------


@router.get("/programs/{program_id}/invitations", response=list[ProgramInvitationOut])
@paginate(PagePagination)
@typed
def list_invitations(
    request: HttpRequest, program_id: Id, status: str | None = None
) -> QuerySet[Invitation]:
    actor = permit(request, "invitations.manage")
    invitations = Invitation.objects.filter(program=_program(actor, program_id)).select_related(
        "ambassador_type"
    )
    if status:
        invitations = invitations.filter(status=status)
    return invitations


@router.get("/programs/{program_id}/invitations/funnel", response={200: FunnelOut, **ERRORS})
def invitation_funnel(
    request: HttpRequest, program_id: Id, campaign_id: Id | None = None
) -> dict[str, Any]:
    actor = permit(request, "invitations.manage")
    invitations = Invitation.objects.filter(program=_program(actor, program_id))
    if campaign_id is not None:
        invitations = invitations.filter(campaign_id=campaign_id)
    return selectors.funnel(invitations)


@router.post("/programs/{program_id}/invitations", response={201: InvitationsCreated, **ERRORS})
def create_invitations(request: HttpRequest, program_id: Id, payload: InvitationsIn) -> Status:
    # HR invite anyone; a manager only their direct reports (checked by the action).
    actor = permit(request, "invitations.invite_reports")
    program = _program(actor, program_id)
    people = list(Person.objects.filter(organisation=actor.organisation, pk__in=payload.person_ids))
    if len(people) != len(set(payload.person_ids)):
        raise Http404
    ambassador_type = get_object_or_404(
        AmbassadorType, organisation=actor.organisation, kind=payload.ambassador_type
    )
    campaign_id = None
    if payload.campaign_name:
        campaign, sent, skipped = actions.create_campaign(
            actor,
            program,
            people,
            name=payload.campaign_name,
            ambassador_type=ambassador_type,
            reminder_after_days=payload.reminder_after_days,
            max_reminders=payload.max_reminders,
        )
        campaign_id = campaign.pk
    else:
        sent, skipped = actions.invite(
            actor,
            program,
            people,
            ambassador_type=ambassador_type,
            on_request=payload.on_request,
        )
    return Status(
        201,
        {
            "invitations": sent,
            "skipped_person_ids": [person.pk for person in skipped],
            "campaign_id": campaign_id,
        },
    )


# --- The person's own invitations and enrolments ----------------------------------------


@router.get("/me/invitations", response=list[ProgramInvitationOut])
@paginate(PagePagination)
def my_invitations(request: HttpRequest) -> QuerySet[Invitation]:
    _, person = permit_person(request, "enrolment.view_own")
    return Invitation.objects.filter(person=person).select_related("ambassador_type")


def _my_invitation(person: Person, invitation_id: Id) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("program"), person=person, pk=invitation_id
    )


@router.post("/me/invitations/{invitation_id}/accept", response={200: EnrolmentOut, **ERRORS})
def accept_invitation(
    request: HttpRequest, invitation_id: Id, payload: CharterAcceptIn
) -> Enrolment:
    actor, person = permit_person(request, "enrolment.manage_own")
    return actions.accept_invitation(
        actor,
        _my_invitation(person, invitation_id),
        charter_accepted=payload.accept_charter,
        user_agent=request.headers.get("User-Agent", ""),
    )


@router.post(
    "/me/invitations/{invitation_id}/decline", response={200: ProgramInvitationOut, **ERRORS}
)
def decline_invitation(request: HttpRequest, invitation_id: Id) -> Invitation:
    actor, person = permit_person(request, "enrolment.manage_own")
    return actions.decline_invitation(actor, _my_invitation(person, invitation_id))


@router.get("/me/enrolments", response=list[EnrolmentOut])
@paginate(PagePagination)
def my_enrolments(request: HttpRequest) -> QuerySet[Enrolment]:
    _, person = permit_person(request, "enrolment.view_own")
    return selectors.enrolments_of(person)


def _my_enrolment(person: Person, enrolment_id: Id) -> Enrolment:
    return get_object_or_404(selectors.enrolments_of(person), pk=enrolment_id)


@router.post("/me/enrolments/{enrolment_id}/reaccept", response={200: EnrolmentOut, **ERRORS})
def reaccept_charter(request: HttpRequest, enrolment_id: Id, payload: CharterAcceptIn) -> Enrolment:
    actor, person = permit_person(request, "enrolment.manage_own")
    return actions.reaccept_charter(
        actor,
        _my_enrolment(person, enrolment_id),
        charter_accepted=payload.accept_charter,
        user_agent=request.headers.get("User-Agent", ""),
    )


@router.post("/me/enrolments/{enrolment_id}/leave", response={200: EnrolmentOut, **ERRORS})
def leave_program(request: HttpRequest, enrolment_id: Id, payload: LeaveIn) -> Enrolment:
    actor, person = permit_person(request, "enrolment.manage_own")
    return actions.leave(
        actor,
        _my_enrolment(person, enrolment_id),
        anonymise_history=payload.anonymise_history,
        disconnect_accounts=payload.disconnect_accounts,
    )


@router.put("/me/enrolments/{enrolment_id}/visibility", response={200: EnrolmentOut, **ERRORS})
def set_visibility(request: HttpRequest, enrolment_id: Id, payload: VisibilityIn) -> Enrolment:
    actor, person = permit_person(request, "enrolment.manage_own")
    return actions.set_visibility(
        actor, _my_enrolment(person, enrolment_id), visible=payload.individual_visibility
    )


@router.put("/me/enrolments/{enrolment_id}/report-consent", response={200: EnrolmentOut, **ERRORS})
def set_report_consent(
    request: HttpRequest, enrolment_id: Id, payload: ReportConsentIn
) -> Enrolment:
    """Only for ambassador types whose contributions count in evaluation; withdrawing always
    works."""
    actor, person = permit_person(request, "contributions.manage_own")
    return actions.set_report_consent(
        actor, _my_enrolment(person, enrolment_id), consent=payload.contribution_report_consent
    )


# --- Ambassador types -------------------------------------------------------------------


@router.get("/ambassador-types", response=list[AmbassadorTypeOut])
def list_ambassador_types(request: HttpRequest) -> list[AmbassadorType]:
    actor = permit(request, "programs.view")
    return selectors.ambassador_types(actor.organisation)


@router.patch("/ambassador-types/{type_id}", response={200: AmbassadorTypeOut, **ERRORS})
def update_ambassador_type(
    request: HttpRequest, type_id: Id, payload: AmbassadorTypePatch
) -> AmbassadorType:
    actor = permit(request, "ambassador_types.manage")
    found = get_object_or_404(AmbassadorType, organisation=actor.organisation, pk=type_id)
    return actions.update_ambassador_type(actor, found, **_fields(payload))
