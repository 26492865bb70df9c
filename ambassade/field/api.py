"""Field reports under /api/v1/field/: file one, my reports, the owners' queue, one report,
triage and answer, a lead's conversion, the routing, the settings and the figures."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ApiError, PagePagination, decoded_base64, permit, typed
from ambassade.core.api_types import Amount, Code, Id, InputSchema, Text, omittable
from ambassade.field import actions, routing
from ambassade.field.figures import as_dict, figures
from ambassade.field.models import FieldReport

router = Router(tags=["field"])
MAX_PHOTO_BASE64 = 2_000_000  # the JSON body limit (2.5 MB) holds it
Kind = Literal[
    "market_signal",
    "customer_feedback",
    "competitor_news",
    "partnership_lead",
    "sales_lead",
    "event_idea",
    "other",
]
OwnerRole = Literal["admin", "marketing", "hr", "internal_comms", "sales_management"]


class FieldReportIn(InputSchema):
    kind: Kind
    text: Text = Field(..., max_length=5000)
    link: Text = Field("", max_length=2048, description="http:// or https://")
    photo_base64: Text | None = Field(
        None, max_length=MAX_PHOTO_BASE64, description="A JPEG, PNG, WebP or GIF image"
    )
    may_contact: bool = Field(False, description="I may be contacted about it")
    personal_data: bool = Field(
        False, description="It contains personal data (erased after the retention period)"
    )


class MyFieldReportOut(Schema):
    id: int
    kind: str
    status: str
    text: str
    link: str
    has_photo: bool
    may_contact: bool
    personal_data: bool
    filed_at: datetime
    answer: str
    answered_at: datetime | None
    closed_at: datetime | None
    erased_at: datetime | None

    @staticmethod
    def resolve_has_photo(report: FieldReport) -> bool:
        return bool(report.photo)


class QueuedFieldReportOut(MyFieldReportOut):
    reporter_id: int | None
    reporter: str
    program_id: int | None
    owner_role: str
    department_id: int | None
    answered_by_id: int | None
    converted_at: datetime | None
    value: Decimal | None
    currency: str

    @staticmethod
    def resolve_reporter(report: FieldReport) -> str:
        return report.reporter.full_name if report.reporter is not None else ""


class FieldTriageIn(InputSchema):
    status: Literal["in_progress", "useful", "not_pursued", "duplicate"]
    answer: Text = Field("", max_length=5000, description="Required to close the report")


class FieldConversionIn(InputSchema):
    value: Amount
    currency: Code = Field(..., max_length=3, description="ISO 4217, such as EUR")


class FieldRouteOut(Schema):
    kind: str
    role: str
    department_id: int | None
    configured: bool


class FieldRouteIn(InputSchema):
    role: OwnerRole
    department_id: Id | None = None


class FieldSettingsOut(Schema):
    answer_days: int
    retention_days: int


class FieldSettingsIn(InputSchema):
    answer_days: int = omittable(ge=1, le=60)
    retention_days: int = omittable(ge=1, le=3650)


class FieldFigureOut(Schema):
    kind: str
    department: str
    reports: int
    answer_due: int
    answered_in_time: int
    share_answered_in_time: int | None
    useful: int
    not_pursued: int
    duplicate: int
    open: int
    converted: int
    converted_value: dict[str, str]


class FieldFiguresOut(Schema):
    period_days: int
    answer_days: int = Field(..., description="The answer target, in calendar days")
    rows: list[FieldFigureOut]


def _queued(actor: Any, report_id: int) -> FieldReport:
    found = routing.queue(actor).filter(pk=report_id).first()
    if found is None:
        raise Http404
    return found


@router.post("/field/reports", response={201: MyFieldReportOut})
def file_report(request: HttpRequest, data: FieldReportIn) -> Status:
    """Files a report; it goes to its kind's queue, whose owners are told."""
    actor = permit(request, "field.report")
    if actor.person is None:
        raise ApiError(403, "forbidden", "Only a person's token files field reports.")
    report = actions.file_report(
        actor,
        kind=data.kind,
        text=data.text,
        link=data.link,
        photo=decoded_base64(data.photo_base64, "photo_base64"),
        may_contact=data.may_contact,
        personal_data=data.personal_data,
    )
    return Status(201, report)


@router.get("/field/reports/mine", response=list[MyFieldReportOut])
@paginate(PagePagination)
@typed
def my_reports(request: HttpRequest) -> QuerySet[FieldReport]:
    """The reports I filed, newest first, with their status and answer."""
    actor = permit(request, "field.report")
    if actor.person is None:
        return FieldReport.objects.none()
    return FieldReport.objects.filter(organisation=actor.organisation, reporter=actor.person)


@router.get("/field/queue", response=list[QueuedFieldReportOut])
@paginate(PagePagination)
@typed
def my_queue(
    request: HttpRequest,
    status: Literal["new", "in_progress", "useful", "not_pursued", "duplicate"] | None = None,
) -> QuerySet[FieldReport]:
    """The reports of the queues I own (my roles, and my department when a queue has one)."""
    reports = routing.queue(permit(request, "field.triage"))
    return reports.filter(status=status) if status else reports


@router.get("/field/queue/{report_id}", response=QueuedFieldReportOut)
def queued_report(request: HttpRequest, report_id: Id) -> FieldReport:
    return _queued(permit(request, "field.triage"), report_id)


@router.post("/field/queue/{report_id}/triage", response=QueuedFieldReportOut)
def triage(request: HttpRequest, report_id: Id, data: FieldTriageIn) -> FieldReport:
    """Sets the status and the answer the reporter reads (required to close it)."""
    actor = permit(request, "field.triage")
    actions.triage(actor, _queued(actor, report_id).pk, status=data.status, answer=data.answer)
    return _queued(actor, report_id)


@router.post("/field/queue/{report_id}/conversion", response=QueuedFieldReportOut)
def convert(request: HttpRequest, report_id: Id, data: FieldConversionIn) -> FieldReport:
    """Records a lead as converted: a lead conversion of the reporter's own tracked link,
    counted in their program's figures. Once per report (a second time is a 422)."""
    actor = permit(request, "field.triage")
    actions.convert(actor, _queued(actor, report_id).pk, value=data.value, currency=data.currency)
    return _queued(actor, report_id)


@router.get("/field/routing", response=list[FieldRouteOut])
def get_routing(request: HttpRequest) -> list[dict[str, Any]]:
    actor = permit(request, "field.configure")
    return [
        {
            "kind": queue.kind,
            "role": queue.role,
            "department_id": queue.department.pk if queue.department else None,
            "configured": queue.configured,
        }
        for queue in routing.routes_of(actor.organisation)
    ]


@router.put("/field/routing/{kind}", response=FieldRouteOut)
def put_route(request: HttpRequest, kind: Kind, data: FieldRouteIn) -> dict[str, Any]:
    actor = permit(request, "field.configure")
    route = actions.set_route(actor, kind, role=data.role, department_id=data.department_id)
    return {
        "kind": route.kind,
        "role": route.role,
        "department_id": route.department_id,
        "configured": True,
    }


@router.get("/field/settings", response=FieldSettingsOut)
def get_settings(request: HttpRequest) -> Any:
    return actions.settings_of(permit(request, "field.configure").organisation.pk)


@router.patch("/field/settings", response=FieldSettingsOut)
def patch_settings(request: HttpRequest, data: FieldSettingsIn) -> Any:
    actor = permit(request, "field.configure")
    values = {key: value for key, value in data.dict().items() if value is not None}
    return actions.update_settings(actor, values)


@router.get("/field/figures", response=FieldFiguresOut)
def get_figures(request: HttpRequest) -> dict[str, Any]:
    """Per kind and queue department, over the last 90 days: reports, the share answered
    within the target (calendar days), outcomes and converted leads."""
    actor = permit(request, "field.triage")
    found = figures(actor.organisation)
    return {
        "period_days": found.period_days,
        "answer_days": found.answer_days,
        "rows": [as_dict(row) for row in found.rows],
    }
