"""Coaching's events turned into notifications: the coach is told of a question, the
ambassador of an answer. The notice says who and where, never what the question says
(its mail copy leaves the application)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ambassade.coaching.models import Question
from ambassade.coaching.selectors import coach_of
from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.notifications.actions import language_of, notify


def _question(event: DomainEvent) -> Question | None:
    return (
        Question.objects.filter(
            organisation_id=event.organisation_id or 0, pk=event.payload.get("question_id")
        )
        .select_related("ambassador__organisation", "ambassador__user")
        .first()
    )


@subscribe("coaching.question_asked")
def tell_the_coach(event: DomainEvent) -> None:
    question = _question(event)
    if question is None:
        return
    coach = coach_of(question.ambassador)
    if coach is None or coach.anonymised_at is not None:
        return
    with translation.override(language_of(coach)):
        if event.payload.get("follow_up"):
            title = _("%(name)s added to their question") % {"name": question.ambassador.full_name}
        else:
            title = _("%(name)s asked you a question") % {"name": question.ambassador.full_name}
        notify(
            coach,
            "coaching_question",
            title=title,
            body=_("Open the thread to answer; only you and they can read it."),
            url=reverse("coaching:coach_thread", args=[question.pk]),
            event_id=event.pk,
        )


@subscribe("coaching.question_answered")
def tell_the_ambassador(event: DomainEvent) -> None:
    question = _question(event)
    if question is None or question.ambassador.anonymised_at is not None:
        return
    ambassador = question.ambassador
    with translation.override(language_of(ambassador)):
        notify(
            ambassador,
            "coaching_answer",
            title=_("Your coach answered your question"),
            body=_("Open the thread to read the answer."),
            url=reverse("coaching:thread", args=[question.pk]),
            event_id=event.pk,
        )
