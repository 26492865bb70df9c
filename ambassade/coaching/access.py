"""Who may read and answer which coaching thread: decided here, once.

A coach reads and answers the threads and profile reviews of the ambassadors assigned to
them now (a reassigned ambassador's threads follow them to the new coach); an ambassador
reads their own. Nobody else reads a thread: HR and admins get counts and times from
``coaching.overview``, never a question's text.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ambassade.coaching.models import ProfileReview, Question
from ambassade.core.authz import Actor, allowed


def coaching(actor: Actor) -> bool:
    """The actor is a coach, acting as themselves (not an organisation token)."""
    return actor.person is not None and allowed(actor, "coaching.coach")


def asking(actor: Actor) -> bool:
    return actor.person is not None and allowed(actor, "coaching.ask")


def coached_questions(actor: Actor) -> QuerySet[Question]:
    """The threads of the coach's own ambassadors (none for anyone else)."""
    if not coaching(actor):
        return Question.objects.none()
    return Question.objects.filter(
        organisation=actor.organisation,
        ambassador__coach_assignments__coach=actor.person,
        ambassador__coach_assignments__organisation=actor.organisation,
    )


def own_questions(actor: Actor) -> QuerySet[Question]:
    if not asking(actor):
        return Question.objects.none()
    return Question.objects.filter(organisation=actor.organisation, ambassador=actor.person)


def readable_question(actor: Actor, question_id: int) -> tuple[Question, str]:
    """The question and the actor's side ("coach" or "ambassador"); 404 for anyone else,
    so that a thread's existence is not told either."""
    found = own_questions(actor).filter(pk=question_id).first()
    if found is not None:
        return found, "ambassador"
    found = coached_questions(actor).filter(pk=question_id).first()
    if found is not None:
        return found, "coach"
    raise Http404


def coached_reviews(actor: Actor) -> QuerySet[ProfileReview]:
    if not coaching(actor):
        return ProfileReview.objects.none()
    return ProfileReview.objects.filter(
        organisation=actor.organisation,
        person__coach_assignments__coach=actor.person,
        person__coach_assignments__organisation=actor.organisation,
    )
