"""The month's highlights under /api/v1/recognition/highlights (the console's readers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from ambassade.core.api import ErrorResponse, permit
from ambassade.recognition import highlights

router = Router(tags=["recognition"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 422: ErrorResponse}


class PostHighlightOut(Schema):
    person: str
    department: str
    item: str
    network: str
    message: str
    url: str
    published_at: datetime
    human_clicks: int


class BadgeHighlightOut(Schema):
    person: str
    badge: str
    awarded_at: datetime


class ChallengeHighlightOut(Schema):
    name: str
    program: str
    completed_at: datetime
    people_rewarded: int


class HighlightsOut(Schema):
    month: str
    posts: list[PostHighlightOut]
    badges: list[BadgeHighlightOut]
    challenges: list[ChallengeHighlightOut]


@router.get("/highlights", response={200: HighlightsOut, **ERRORS})
def month_highlights(request: HttpRequest, month: str = "") -> dict[str, Any]:
    """The month's (YYYY-MM, the current one by default) most clicked personal posts and
    new badges of the people who chose to appear by name, and its completed challenges."""
    actor = permit(request, "recognition.view")
    found = highlights.build(actor.organisation, highlights.month_of(month, timezone.localdate()))
    return {
        "month": found.month.label,
        "posts": found.posts,
        "badges": found.badges,
        "challenges": found.challenges,
    }
