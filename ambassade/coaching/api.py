"""Coaching for the one asking and the one answering, under /api/v1/: my coach, my
questions, a coach's threads and reviews, my profile checklist."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ambassade.coaching import access, actions, checklist, selectors
from ambassade.coaching.models import ProfileReview, Question
from ambassade.core.api import ApiError, ErrorResponse, PagePagination, permit, typed
from ambassade.core.api_types import Code, Id, InputSchema, Text
from ambassade.core.authz import Actor
from ambassade.people.models import Person

router = Router(tags=["coaching"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}
# A 5 MB image is about 6.7 million base64 characters; the JSON body limit comes first.
MAX_SCREENSHOT_BASE64 = 6_700_000


class CoachingPersonOut(Schema):
    id: int
    name: str
    job_title: str


class MyCoachOut(Schema):
    coach: CoachingPersonOut | None


class ReplyOut(Schema):
    id: int
    author_id: int | None
    author_name: str
    text: str
    sent_at: datetime


class CoachQuestionOut(Schema):
    id: int
    ambassador_id: int
    ambassador_name: str
    text: str
    has_screenshot: bool
    screenshot_url: str | None
    status: str
    asked_at: datetime
    first_answered_at: datetime | None
    last_message_at: datetime
    closed_at: datetime | None
    replies: list[ReplyOut] | None = None


class AskIn(InputSchema):
    text: Text = Field(..., max_length=4000)
    screenshot_base64: Text | None = Field(
        None,
        max_length=MAX_SCREENSHOT_BASE64,
        description="An image (JPEG, PNG, WebP or GIF, up to 5 MB), base64-encoded.",
    )


class ReplyIn(InputSchema):
    text: Text = Field(..., max_length=4000)


class ChecklistLineOut(Schema):
    item: str
    label: str
    explanation: str
    done: bool
    verdict: str = Field(description='The coach\'s last word: "", "ok" or "improve".')
    comment: str


class NetworkChecklistOut(Schema):
    network: str
    name: str
    items: list[ChecklistLineOut]
    open_review_id: int | None
    last_review_id: int | None


class ChecklistIn(InputSchema):
    items: list[Code] = Field(..., max_length=20, description="The items the profile meets.")


class VerdictIn(InputSchema):
    item: Code
    verdict: Code = Field(..., description='"ok" or "improve".')
    comment: Text = Field("", max_length=1000)


class ReviewIn(InputSchema):
    verdicts: list[VerdictIn] = Field(..., max_length=20)


class VerdictOut(Schema):
    item: str
    verdict: str
    comment: str


class ReviewOut(Schema):
    id: int
    person_id: int
    person_name: str
    network: str
    status: str
    requested_at: datetime
    reviewed_at: datetime | None
    verdicts: list[VerdictOut]


def _person(actor: Actor) -> Person:
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor.person


def _person_out(person: Person) -> dict[str, Any]:
    return {"id": person.pk, "name": person.full_name, "job_title": person.job_title}


def question_out(question: Question, with_replies: bool = False) -> dict[str, Any]:
    from django.urls import reverse

    out = {
        "id": question.pk,
        "ambassador_id": question.ambassador_id,
        "ambassador_name": question.ambassador.full_name,
        "text": question.text,
        "has_screenshot": bool(question.screenshot),
        "screenshot_url": (
            reverse("coaching:screenshot", args=[question.pk]) if question.screenshot else None
        ),
        "status": question.status,
        "asked_at": question.asked_at,
        "first_answered_at": question.first_answered_at,
        "last_message_at": question.last_message_at,
        "closed_at": question.closed_at,
    }
    if with_replies:
        out["replies"] = [
            {
                "id": reply.pk,
                "author_id": reply.author_id,
                "author_name": reply.author.full_name if reply.author else "",
                "text": reply.text,
                "sent_at": reply.sent_at,
            }
            for reply in question.replies.select_related("author")
        ]
    return out


def review_out(review: ProfileReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "person_id": review.person_id,
        "person_name": review.person.full_name,
        "network": review.network,
        "status": review.status,
        "requested_at": review.requested_at,
        "reviewed_at": review.reviewed_at,
        "verdicts": [
            {"item": v.item, "verdict": v.verdict, "comment": v.comment}
            for v in review.verdicts.all()
        ],
    }


@router.get("/me/coach", response={200: MyCoachOut, 403: ErrorResponse})
def my_coach(request: HttpRequest) -> dict[str, Any]:
    """Who coaches me (null when nobody does, or my coach has left)."""
    person = _person(permit(request, "coaching.ask"))
    coach = selectors.coach_of(person)
    return {"coach": _person_out(coach) if coach is not None else None}


@router.get("/me/coach/questions", response=list[CoachQuestionOut])
@paginate(PagePagination)
@typed
def my_questions(request: HttpRequest) -> list[dict[str, Any]]:
    """My questions to my coach, open ones first, the latest first."""
    actor = permit(request, "coaching.ask")
    _person(actor)
    found = (
        access.own_questions(actor)
        .select_related("ambassador")
        .order_by("status", "-last_message_at", "-id")
    )
    return Mapped(found, question_out)  # type: ignore[return-value]


@router.post("/me/coach/questions", response={201: CoachQuestionOut, **ERRORS})
def ask(request: HttpRequest, payload: AskIn) -> Status:
    """Ask my coach, privately; 422 on ``text`` when I have no coach."""
    actor = permit(request, "coaching.ask")
    _person(actor)
    screenshot = None
    if payload.screenshot_base64:
        try:
            screenshot = base64.b64decode(payload.screenshot_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(
                {"screenshot_base64": "The screenshot is not valid base64."}
            ) from None
    question = actions.ask(actor, payload.text, screenshot)
    return Status(201, question_out(question, with_replies=True))


@router.get("/coaching/questions", response=list[CoachQuestionOut])
@paginate(PagePagination)
@typed
def coached_questions(request: HttpRequest) -> list[dict[str, Any]]:
    """The threads of the ambassadors I coach, open ones first (coaches)."""
    actor = permit(request, "coaching.coach")
    _person(actor)
    found = (
        access.coached_questions(actor)
        .select_related("ambassador")
        .order_by("status", "-last_message_at", "-id")
    )
    return Mapped(found, question_out)  # type: ignore[return-value]


def _readable(request: HttpRequest, question_id: int) -> tuple[Actor, Question]:
    from ambassade.core.api import actor_of

    actor = actor_of(request)
    _person(actor)
    if not (access.asking(actor) or access.coaching(actor)):
        raise ApiError(403, "forbidden", "You are not allowed to do this.")
    question, _side = access.readable_question(actor, question_id)
    return actor, question


@router.get("/coaching/questions/{question_id}", response={200: CoachQuestionOut, **ERRORS})
def get_question(request: HttpRequest, question_id: Id) -> dict[str, Any]:
    """A thread, to the ambassador who asked and their coach only (404 for anyone else)."""
    _actor, question = _readable(request, question_id)
    return question_out(question, with_replies=True)


@router.post("/coaching/questions/{question_id}/replies", response={201: ReplyOut, **ERRORS})
def reply(request: HttpRequest, question_id: Id, payload: ReplyIn) -> Status:
    """A message in the thread: the coach's answer, or the ambassador's follow-up."""
    actor, question = _readable(request, question_id)
    message = actions.reply(actor, question.pk, payload.text)
    return Status(
        201,
        {
            "id": message.pk,
            "author_id": message.author_id,
            "author_name": actor.person.full_name if actor.person else "",
            "text": message.text,
            "sent_at": message.sent_at,
        },
    )


@router.post("/coaching/questions/{question_id}/close", response={200: CoachQuestionOut, **ERRORS})
def close(request: HttpRequest, question_id: Id) -> dict[str, Any]:
    """Closed by either side; closing a closed question changes nothing."""
    actor, question = _readable(request, question_id)
    return question_out(actions.close(actor, question.pk), with_replies=True)


def _checklist_out(person: Person) -> list[dict[str, Any]]:
    return [
        {
            "network": network.network,
            "name": network.name,
            "items": [
                {
                    "item": line.code,
                    "label": line.label,
                    "explanation": line.explanation,
                    "done": line.done,
                    "verdict": line.verdict,
                    "comment": line.comment,
                }
                for line in network.lines
            ],
            "open_review_id": network.open_review.pk if network.open_review else None,
            "last_review_id": network.last_review.pk if network.last_review else None,
        }
        for network in checklist.checklist_of(person)
    ]


@router.get("/me/profile-checklist", response={200: list[NetworkChecklistOut], 403: ErrorResponse})
def my_checklist(request: HttpRequest) -> list[dict[str, Any]]:
    """My profile checklist on each network, with my coach's last verdicts."""
    return _checklist_out(_person(permit(request, "coaching.ask")))


@router.put("/me/profile-checklist/{network}", response={200: list[NetworkChecklistOut], **ERRORS})
def save_checklist(
    request: HttpRequest, network: Code, payload: ChecklistIn
) -> list[dict[str, Any]]:
    """The items my profile meets on this network (those left out are unticked)."""
    actor = permit(request, "coaching.ask")
    person = _person(actor)
    actions.save_checklist(actor, network, payload.items)
    return _checklist_out(person)


@router.post("/me/profile-checklist/{network}/review", response={201: ReviewOut, **ERRORS})
def ask_review(request: HttpRequest, network: Code) -> Status:
    """Ask my coach to look at my profile on this network (asking again is the same request)."""
    actor = permit(request, "coaching.ask")
    _person(actor)
    return Status(201, review_out(actions.request_review(actor, network)))


@router.get("/coaching/reviews", response=list[ReviewOut])
@paginate(PagePagination)
@typed
def coached_reviews(request: HttpRequest, status: Code = "requested") -> list[dict[str, Any]]:
    """Reviews my ambassadors asked for (``status`` requested or done; coaches)."""
    actor = permit(request, "coaching.coach")
    _person(actor)
    found = (
        access.coached_reviews(actor)
        .filter(status=status)
        .select_related("person")
        .prefetch_related("verdicts")
        .order_by("requested_at", "id")
    )
    return Mapped(found, review_out)  # type: ignore[return-value]


def _coached_review(actor: Actor, review_id: int) -> ProfileReview:
    found = (
        access.coached_reviews(actor)
        .select_related("person")
        .prefetch_related("verdicts")
        .filter(pk=review_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.get("/coaching/reviews/{review_id}", response={200: ReviewOut, **ERRORS})
def get_review(request: HttpRequest, review_id: Id) -> dict[str, Any]:
    actor = permit(request, "coaching.coach")
    _person(actor)
    return review_out(_coached_review(actor, review_id))


@router.post("/coaching/reviews/{review_id}", response={200: ReviewOut, **ERRORS})
def give_review(request: HttpRequest, review_id: Id, payload: ReviewIn) -> dict[str, Any]:
    """My verdict on every item of the checklist: ``ok`` or ``improve``, with a comment."""
    actor = permit(request, "coaching.coach")
    _person(actor)
    actions.give_review(actor, review_id, [verdict.dict() for verdict in payload.verdicts])
    return review_out(_coached_review(actor, review_id))


class Mapped:
    """A queryset whose page is turned into output rows (for the paginator): one query
    for the count, one for the page, whatever the mapper reads being selected with it."""

    def __init__(self, queryset: QuerySet[Any], mapper: Any) -> None:
        self.queryset, self.mapper = queryset, mapper

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [self.mapper(row) for row in self.queryset[window]]
