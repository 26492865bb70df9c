"""What coaching knows about a person: their coach, their questions and the threads, their
profile checklist and reviews; as a coach, whom they coach.

Erasure deletes the person's questions (and their threads), checklist and reviews, and
their assignments either way; what they wrote in someone else's thread is emptied, so
that the other side's thread stays readable without their words.
"""

from __future__ import annotations

from typing import Any

from ambassade.coaching.models import (
    ChecklistTick,
    CoachAssignment,
    CoachCapacity,
    ProfileReview,
    Question,
    Reply,
)
from ambassade.core.personal_data import anonymiser, exporter
from ambassade.people.models import Person


def _time(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@exporter("coaching")
def export_coaching(person: Person) -> dict[str, Any]:
    assignment = CoachAssignment.objects.filter(ambassador=person).select_related("coach").first()
    questions = Question.objects.filter(ambassador=person).prefetch_related("replies__author")
    reviews = ProfileReview.objects.filter(person=person).prefetch_related("verdicts")
    return {
        "coach": assignment.coach.full_name if assignment else None,
        "coaches": list(
            CoachAssignment.objects.filter(coach=person)
            .select_related("ambassador")
            .values_list("ambassador__email", flat=True)
        ),
        "questions": [
            {
                "text": question.text,
                "status": question.status,
                "asked_at": _time(question.asked_at),
                "messages": [
                    {
                        "author": reply.author.full_name if reply.author else None,
                        "text": reply.text,
                        "sent_at": _time(reply.sent_at),
                    }
                    for reply in question.replies.all()
                ],
            }
            for question in questions.order_by("asked_at", "pk")
        ],
        "profile_checklist": sorted(
            f"{network}/{item}"
            for network, item in ChecklistTick.objects.filter(person=person).values_list(
                "network", "item"
            )
        ),
        "profile_reviews": [
            {
                "network": review.network,
                "status": review.status,
                "requested_at": _time(review.requested_at),
                "verdicts": {v.item: [v.verdict, v.comment] for v in review.verdicts.all()},
            }
            for review in reviews.order_by("requested_at", "pk")
        ],
    }


@anonymiser
def forget_coaching(person: Person) -> None:
    Question.objects.filter(ambassador=person).delete()
    Reply.objects.filter(author=person).update(text="", author=None)
    ChecklistTick.objects.filter(person=person).delete()
    ProfileReview.objects.filter(person=person).delete()
    CoachAssignment.objects.filter(ambassador=person).delete()
    CoachAssignment.objects.filter(coach=person).delete()
    CoachCapacity.objects.filter(coach=person).delete()
