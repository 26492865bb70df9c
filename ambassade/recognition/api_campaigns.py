"""Campaigns, challenges and calendar addresses under /api/v1/recognition/: the console
reads them with their progress; marketing, HR and internal communications write them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from ambassade.core.api import ErrorResponse, permit
from ambassade.core.api_types import Code, Day, Id, InputSchema, Text, Trimmed
from ambassade.core.authz import Actor
from ambassade.programs.models import Program
from ambassade.recognition import calendar, participation, progress
from ambassade.recognition import campaigns as actions
from ambassade.recognition.models import CalendarFeed, Campaign, Challenge

router = Router(tags=["recognition"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}
MANY: Any = Field(default_factory=list, max_length=500)


class CampaignOut(Schema):
    id: int
    program_id: int
    name: str
    description: str
    starts_on: date
    ends_on: date
    items: list[int]
    target_departments: list[int]
    goal_human_clicks: int
    goal_conversions: int | None
    archived: bool
    human_clicks: int
    conversions: int
    applications: int


class CampaignIn(InputSchema):
    name: Trimmed = Field(..., max_length=200)
    description: Text = Field("", max_length=4000)
    starts_on: Day
    ends_on: Day
    items: list[Id] = MANY
    target_departments: list[Id] = MANY
    goal_human_clicks: int = Field(..., ge=-(10**9), le=10**9)
    goal_conversions: int | None = Field(None, ge=-(10**9), le=10**9)


class NewCampaignIn(CampaignIn):
    program_id: Id


class ChallengePeriodRateOut(Schema):
    period: str = Field(description="before, during or after")
    start: date
    end: date
    active: int = Field(description="Enrolled people who shared at least once in the period.")
    enrolled: int = Field(description="People enrolled at some time in the period.")
    rate: Decimal = Field(description="active against enrolled, in percent")


class ChallengeOut(Schema):
    id: int
    program_id: int
    campaign_id: int | None
    name: str
    metric: str
    scope: str
    target: int
    starts_on: date
    ends_on: date
    eligible_departments: list[int]
    points: int
    archived: bool
    completed_at: datetime | None
    total: int = Field(description="The metric summed over the eligible people so far.")
    percent: int = Field(description="The total against the target, in percent.")
    people_reached: int = Field(description="People at the target on their own.")
    participation: list[ChallengePeriodRateOut] = Field(
        description="The participation rate before, during and after the challenge (the "
        "periods that have begun), by the dashboards' definition."
    )


class ChallengeIn(InputSchema):
    name: Trimmed = Field(..., max_length=200)
    campaign_id: Id | None = None
    metric: Code = "human_clicks"
    scope: Code = Field("collective", description="collective (the default) or individual")
    target: int = Field(..., ge=-(10**9), le=10**9)
    starts_on: Day
    ends_on: Day
    eligible_departments: list[Id] = MANY
    points: int = Field(0, ge=-(10**9), le=10**9)


class NewChallengeIn(ChallengeIn):
    program_id: Id


class CalendarFeedIn(InputSchema):
    program_id: Id


class CalendarFeedOut(Schema):
    id: int
    program_id: int
    created_at: datetime
    url: str = Field(description="The secret address, given only in this answer.")


def _program(actor: Actor, program_id: int) -> Program:
    return get_object_or_404(Program, organisation=actor.organisation, pk=program_id)


def _campaign_out(campaign: Campaign) -> dict[str, Any]:
    figures = progress.campaign_figures(campaign)
    return {
        **{
            name: getattr(campaign, name)
            for name in (
                "id",
                "program_id",
                "name",
                "description",
                "starts_on",
                "ends_on",
                "goal_human_clicks",
                "goal_conversions",
                "archived",
            )
        },
        "items": sorted(campaign.items.values_list("pk", flat=True)),
        "target_departments": sorted(campaign.target_departments.values_list("pk", flat=True)),
        "human_clicks": figures.human_clicks,
        "conversions": figures.conversions,
        "applications": figures.applications,
    }


def _challenge_out(challenge: Challenge) -> dict[str, Any]:
    found = progress.progress_of(challenge)
    return {
        **{
            name: getattr(challenge, name)
            for name in (
                "id",
                "program_id",
                "campaign_id",
                "name",
                "metric",
                "scope",
                "target",
                "starts_on",
                "ends_on",
                "points",
                "archived",
                "completed_at",
            )
        },
        "eligible_departments": sorted(challenge.eligible_departments.values_list("pk", flat=True)),
        "total": found.total,
        "percent": found.percent,
        "people_reached": found.people_reached,
        "participation": participation.around(challenge, timezone.now().astimezone(UTC).date()),
    }


def _challenge_values(payload: ChallengeIn) -> dict[str, Any]:
    values = payload.dict(exclude={"program_id"})
    values["campaign"] = values.pop("campaign_id")
    return values


@router.get("/campaigns", response={200: list[CampaignOut], **ERRORS})
def list_campaigns(request: HttpRequest, program_id: Id) -> list[dict[str, Any]]:
    """A program's campaigns, newest first, with their figures since their first day."""
    program = _program(permit(request, "recognition.view"), program_id)
    return [_campaign_out(c) for c in Campaign.objects.filter(program=program)[:200]]


@router.post("/campaigns", response={201: CampaignOut, **ERRORS})
def create_campaign(request: HttpRequest, payload: NewCampaignIn) -> Status:
    """Items must be the program's; 422 when the end comes before the start."""
    actor = permit(request, "recognition.manage")
    program = _program(actor, payload.program_id)
    made = actions.create_campaign(actor, program, **payload.dict(exclude={"program_id"}))
    return Status(201, _campaign_out(made))


@router.put("/campaigns/{campaign_id}", response={200: CampaignOut, **ERRORS})
def change_campaign(request: HttpRequest, campaign_id: Id, payload: CampaignIn) -> dict[str, Any]:
    """Every value is replaced by the one sent."""
    actor = permit(request, "recognition.manage")
    found = get_object_or_404(Campaign, program__organisation=actor.organisation, pk=campaign_id)
    return _campaign_out(actions.change_campaign(actor, found, **payload.dict()))


@router.post("/campaigns/{campaign_id}/archive", response={200: CampaignOut, **ERRORS})
def archive_campaign(request: HttpRequest, campaign_id: Id) -> dict[str, Any]:
    """Archived: off the calendar and the lists; its figures stay readable."""
    actor = permit(request, "recognition.manage")
    found = get_object_or_404(Campaign, program__organisation=actor.organisation, pk=campaign_id)
    return _campaign_out(actions.archive_campaign(actor, found))


@router.get("/challenges", response={200: list[ChallengeOut], **ERRORS})
def list_challenges(request: HttpRequest, program_id: Id) -> list[dict[str, Any]]:
    """A program's challenges, newest first, with their progress."""
    program = _program(permit(request, "recognition.view"), program_id)
    return [_challenge_out(c) for c in Challenge.objects.filter(program=program)[:200]]


@router.post("/challenges", response={201: ChallengeOut, **ERRORS})
def create_challenge(request: HttpRequest, payload: NewChallengeIn) -> Status:
    """Collective by default; inside its campaign's dates when it has one."""
    actor = permit(request, "recognition.manage")
    program = _program(actor, payload.program_id)
    made = actions.create_challenge(actor, program, **_challenge_values(payload))
    return Status(201, _challenge_out(made))


@router.put("/challenges/{challenge_id}", response={200: ChallengeOut, **ERRORS})
def change_challenge(
    request: HttpRequest, challenge_id: Id, payload: ChallengeIn
) -> dict[str, Any]:
    """Every value is replaced by the one sent; a completed challenge no longer changes."""
    actor = permit(request, "recognition.manage")
    found = get_object_or_404(Challenge, program__organisation=actor.organisation, pk=challenge_id)
    return _challenge_out(actions.change_challenge(actor, found, **_challenge_values(payload)))


@router.post("/challenges/{challenge_id}/archive", response={200: ChallengeOut, **ERRORS})
def archive_challenge(request: HttpRequest, challenge_id: Id) -> dict[str, Any]:
    """Archived: no longer counted nor rewarded by the job; what it gave stays given."""
    actor = permit(request, "recognition.manage")
    found = get_object_or_404(Challenge, program__organisation=actor.organisation, pk=challenge_id)
    return _challenge_out(actions.archive_challenge(actor, found))


@router.post("/calendar/feeds", response={201: CalendarFeedOut, **ERRORS})
def create_feed(request: HttpRequest, payload: CalendarFeedIn) -> Status:
    """A secret iCalendar address of the program's calendar, for one's own calendar
    application; its token is in this answer only."""
    actor = permit(request, "recognition.view")
    feed, token = calendar.create_feed(actor, _program(actor, payload.program_id))
    url = request.build_absolute_uri(calendar.feed_path(token))
    return Status(
        201,
        {"id": feed.pk, "program_id": feed.program_id, "created_at": feed.created_at, "url": url},
    )


@router.delete("/calendar/feeds/{feed_id}", response={204: None, **ERRORS})
def revoke_feed(request: HttpRequest, feed_id: Id) -> Status:
    """The address answers 404 from now on. Its owner or a recognition manager."""
    actor = permit(request, "recognition.view")
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("program"),
        program__organisation=actor.organisation,
        pk=feed_id,
    )
    calendar.revoke_feed(actor, feed)
    return Status(204, None)
