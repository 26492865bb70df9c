"""Problem reports under /api/v1/: open one, list them as each role sees them, one with
its log, acknowledge, note, resolve, reopen, delete its post; the response targets."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.core.api import ApiError, PagePagination, decoded_base64, permit, typed
from ambassade.core.api_types import Id, InputSchema, Text, omittable
from ambassade.incidents import actions, selectors
from ambassade.incidents.models import ProblemReport
from ambassade.sharing import actions as sharing_actions

router = Router(tags=["incidents"])
MAX_SCREENSHOT_BASE64 = 2_000_000  # the JSON body limit (2.5 MB) holds it


class ReportIn(InputSchema):
    kind: Literal["hostile_replies", "mistake", "journalist", "complaint", "other"]
    severity: Literal["low", "high", "critical"]
    description: Text = Field(..., max_length=5000)
    link: Text = Field("", max_length=2048, description="http:// or https://")
    post_id: Id | None = Field(None, description="One of my posts this report is about")
    coach_may_delete: bool = Field(False, description="My coach may delete that post")
    screenshot_base64: Text | None = Field(
        None, max_length=MAX_SCREENSHOT_BASE64, description="A JPEG, PNG, WebP or GIF image"
    )


class ReportLogEntryOut(Schema):
    at: datetime
    actor: str = Field(..., alias="actor_label")
    step: str
    text: str


class ReportOut(Schema):
    id: int
    reporter_id: int
    reporter: str
    coach_id: int | None
    program_id: int | None
    post_id: int | None = Field(None, alias="target_id")
    kind: str
    severity: str
    status: str
    description: str
    link: str
    has_screenshot: bool
    coach_may_delete: bool
    opened_at: datetime
    due_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    resolved_at: datetime | None
    resolution: str

    @staticmethod
    def resolve_reporter(report: ProblemReport) -> str:
        return report.reporter.full_name

    @staticmethod
    def resolve_has_screenshot(report: ProblemReport) -> bool:
        return bool(report.screenshot)


class ReportDetailOut(ReportOut):
    log: list[ReportLogEntryOut]

    @staticmethod
    def resolve_log(report: ProblemReport) -> list[Any]:
        return list(report.entries.order_by("at", "pk"))


class NoteIn(InputSchema):
    text: Text = Field(..., max_length=5000)


class ResolveIn(InputSchema):
    resolution: Text = Field(..., max_length=5000)


class ReopenIn(InputSchema):
    reason: Text = Field(..., max_length=5000)


class PostDeletionIn(InputSchema):
    withdraw_link: bool = Field(True, description="Also stop the post's tracked link")


class ReportPostDeletionOut(Schema):
    already_gone: bool
    link_withdrawn: bool
    report: ReportDetailOut


class SettingsOut(Schema):
    critical_minutes: int
    high_minutes: int
    low_working_days: int


class SettingsIn(InputSchema):
    critical_minutes: int = omittable(ge=5, le=10080)
    high_minutes: int = omittable(ge=5, le=10080)
    low_working_days: int = omittable(ge=1, le=30)


def _report(request: HttpRequest, report_id: int) -> tuple[Any, ProblemReport]:
    actor = permit(request, "incidents.view")
    return actor, selectors.report_for(actor, report_id)


@router.post("/incidents/reports", response={201: ReportDetailOut})
def open_report(request: HttpRequest, data: ReportIn) -> Status:
    """Reports a problem; the coach and internal communications are told at once."""
    actor = permit(request, "incidents.report")
    if actor.person is None:
        raise ApiError(403, "forbidden", "Only a person's token reports problems.")
    report = actions.open_report(
        actor,
        kind=data.kind,
        severity=data.severity,
        description=data.description,
        link=data.link,
        screenshot=decoded_base64(data.screenshot_base64, "screenshot_base64"),
        target_id=data.post_id,
        coach_may_delete=data.coach_may_delete,
    )
    return Status(201, selectors.report_for(actor, report.pk))


@router.get("/incidents/reports", response=list[ReportOut])
@paginate(PagePagination)
@typed
def list_reports(
    request: HttpRequest, status: Literal["open", "acknowledged", "resolved"] | None = None
) -> QuerySet[ProblemReport]:
    """The reports I may see: mine, those of the people I coach, all of them for internal
    communications and admins, those of my programs once escalated."""
    reports = selectors.visible_reports(permit(request, "incidents.view"))
    return reports.filter(status=status) if status else reports


@router.get("/incidents/reports/{report_id}", response=ReportDetailOut)
def get_report(request: HttpRequest, report_id: Id) -> ProblemReport:
    return _report(request, report_id)[1]


@router.post("/incidents/reports/{report_id}/acknowledge", response=ReportDetailOut)
def acknowledge(request: HttpRequest, report_id: Id) -> ProblemReport:
    actor, report = _report(request, report_id)
    actions.acknowledge(actor, report)
    return selectors.report_for(actor, report_id)


@router.post("/incidents/reports/{report_id}/notes", response={201: ReportDetailOut})
def add_note(request: HttpRequest, report_id: Id, data: NoteIn) -> Status:
    actor, report = _report(request, report_id)
    actions.add_note(actor, report, data.text)
    return Status(201, selectors.report_for(actor, report_id))


@router.post("/incidents/reports/{report_id}/resolve", response=ReportDetailOut)
def resolve(request: HttpRequest, report_id: Id, data: ResolveIn) -> ProblemReport:
    actor, report = _report(request, report_id)
    actions.resolve(actor, report, data.resolution)
    return selectors.report_for(actor, report_id)


@router.post("/incidents/reports/{report_id}/reopen", response=ReportDetailOut)
def reopen(request: HttpRequest, report_id: Id, data: ReopenIn) -> ProblemReport:
    actor, report = _report(request, report_id)
    actions.reopen(actor, report, data.reason)
    return selectors.report_for(actor, report_id)


@router.post("/incidents/reports/{report_id}/withdraw-post", response=ReportPostDeletionOut)
def withdraw_post(request: HttpRequest, report_id: Id, data: PostDeletionIn) -> Any:
    """Deletes the report's post from the network: its author, or their coach when the
    author allowed it in the report. A refusal of the network is a 422 whose code is
    the failure kind."""
    actor, report = _report(request, report_id)
    try:
        done = actions.delete_reported_post(actor, report, withdraw_tracked_link=data.withdraw_link)
    except sharing_actions.DeletionFailed as error:
        raise ApiError(422, error.kind, error.messages[0], {"kind": error.kind}) from None
    return {
        "already_gone": done.already_gone,
        "link_withdrawn": done.link_withdrawn,
        "report": selectors.report_for(actor, report_id),
    }


@router.get("/incidents/settings", response=SettingsOut)
def get_settings(request: HttpRequest) -> Any:
    return selectors.settings_of(permit(request, "incidents.settings").organisation)


@router.patch("/incidents/settings", response=SettingsOut)
def patch_settings(request: HttpRequest, data: SettingsIn) -> Any:
    actor = permit(request, "incidents.settings")
    values = {key: value for key, value in data.dict().items() if value is not None}
    return actions.update_settings(actor, values)
