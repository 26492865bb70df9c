"""Every write of coaching: assignments and capacities, questions and their threads,
the profile checklist and its reviews. One transaction each, an audit row, and the
events the notifications are made of (recorded in the same transaction).

Audit rows name a question by its number only: what it says stays between the
ambassador and their coach.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.coaching import access, selectors
from ambassade.coaching.checks import require, text_of
from ambassade.coaching.models import (
    MAX_CAPACITY,
    CoachAssignment,
    CoachCapacity,
    Question,
    Reply,
)
from ambassade.coaching.profile_actions import (
    give_review,
    request_review,
    save_checklist,
    set_explanations,
    tick,
)
from ambassade.content import images
from ambassade.core import audit, events
from ambassade.core.authz import Actor
from ambassade.people import audiences
from ambassade.people.models import Person

MAX_TEXT = 4000
MAX_SCREENSHOT_BYTES = 5_000_000


# Assignments --------------------------------------------------------------------------


def _coach(actor: Actor, coach_id: Any) -> Person:
    """A person of the organisation with the coach role, locked while capacity is counted."""
    coach = (
        selectors.coaches(actor.organisation.pk)
        .select_for_update(of=("self",))
        .filter(pk=coach_id if isinstance(coach_id, int) else 0)
        .first()
    )
    if coach is None:
        raise ValidationError({"coach_id": _("Choose a person who has the coach role.")})
    return coach


def _check_capacity(coach: Person, adding: int) -> None:
    capacity = selectors.capacity_of(coach)
    current = CoachAssignment.objects.filter(coach=coach).count()
    if current + adding > capacity:
        raise ValidationError(
            {
                "coach_id": _(
                    "%(coach)s already coaches %(current)s of %(capacity)s ambassadors: "
                    "%(adding)s more would go past their capacity. Raise it or choose "
                    "another coach."
                )
                % {
                    "coach": coach.full_name,
                    "current": current,
                    "capacity": capacity,
                    "adding": adding,
                }
            }
        )


def _assign_many(actor: Actor, coach: Person, ambassadors: list[Person]) -> int:
    already = set(
        CoachAssignment.objects.filter(
            coach=coach, ambassador__in=ambassadors, organisation=actor.organisation
        ).values_list("ambassador_id", flat=True)
    )
    moving = [person for person in ambassadors if person.pk not in already]
    _check_capacity(coach, len(moving))
    for person in moving:
        previous = CoachAssignment.objects.filter(
            organisation=actor.organisation, ambassador=person
        ).first()
        CoachAssignment.objects.update_or_create(
            organisation=actor.organisation, ambassador=person, defaults={"coach": coach}
        )
        audit.record(
            "coaching.assigned",
            organisation=actor.organisation,
            actor=actor,
            target=person,
            before={"coach": previous.coach.full_name if previous else None},
            after={"coach": coach.full_name},
        )
    return len(moving)


def assign(actor: Actor, ambassador_id: Any, coach_id: Any) -> CoachAssignment:
    """Gives one ambassador this coach (their previous coach, if any, is replaced)."""
    require(actor, "coaching.assign")
    with transaction.atomic():
        coach = _coach(actor, coach_id)
        ambassador = (
            selectors.active_ambassadors(actor.organisation.pk)
            .filter(pk=ambassador_id if isinstance(ambassador_id, int) else 0)
            .first()
        )
        if ambassador is None:
            raise ValidationError({"ambassador_id": _("Choose a person with the ambassador role.")})
        if ambassador.pk == coach.pk:
            raise ValidationError({"ambassador_id": _("Nobody coaches themselves.")})
        _assign_many(actor, coach, [ambassador])
        return CoachAssignment.objects.select_related("coach", "ambassador").get(
            organisation=actor.organisation, ambassador=ambassador
        )


def assign_audience(actor: Actor, coach_id: Any, audience: Mapping[str, Any]) -> int:
    """Gives every ambassador of a group this coach; all or none (capacity)."""
    require(actor, "coaching.assign")
    cleaned = audiences.clean(actor.organisation, audience)
    if not cleaned:
        raise ValidationError({"audience": _("Choose at least one group.")})
    with transaction.atomic():
        coach = _coach(actor, coach_id)
        people = list(
            selectors.active_ambassadors(actor.organisation.pk)
            .filter(audiences.condition(cleaned))
            .exclude(pk=coach.pk)
            .distinct()
        )
        if not people:
            raise ValidationError({"audience": _("No ambassador is in this group.")})
        return _assign_many(actor, coach, people)


def unassign(actor: Actor, ambassador_id: int) -> None:
    require(actor, "coaching.assign")
    with transaction.atomic():
        found = (
            CoachAssignment.objects.select_related("coach", "ambassador")
            .filter(organisation=actor.organisation, ambassador_id=ambassador_id)
            .first()
        )
        if found is None:
            raise Http404
        found.delete()
        audit.record(
            "coaching.unassigned",
            organisation=actor.organisation,
            actor=actor,
            target=found.ambassador,
            before={"coach": found.coach.full_name},
            after={"coach": None},
        )


def set_capacity(actor: Actor, coach_id: Any, capacity: Any) -> CoachCapacity:
    require(actor, "coaching.assign")
    if (
        isinstance(capacity, bool)
        or not isinstance(capacity, int)
        or not 1 <= capacity <= MAX_CAPACITY
    ):
        raise ValidationError(
            {"capacity": _("Give a number from 1 to %(max)s.") % {"max": MAX_CAPACITY}}
        )
    with transaction.atomic():
        coach = _coach(actor, coach_id)
        before = selectors.capacity_of(coach)
        row, _created = CoachCapacity.objects.update_or_create(
            coach=coach, defaults={"organisation": actor.organisation, "capacity": capacity}
        )
        audit.record(
            "coaching.capacity_changed",
            organisation=actor.organisation,
            actor=actor,
            target=coach,
            before={"capacity": before},
            after={"capacity": capacity},
        )
    return row


# Questions ----------------------------------------------------------------------------


def _screenshot(data: bytes | None, organisation_id: int) -> str:
    if not data:
        return ""
    if len(data) > MAX_SCREENSHOT_BYTES:
        raise ValidationError(
            {"screenshot": _("The screenshot is larger than %(mb)s MB.") % {"mb": 5}}
        )
    try:
        return images.store(data, folder=f"coaching/{organisation_id}").name
    except images.ImageError as error:
        raise ValidationError({"screenshot": error.message}) from None


def ask(actor: Actor, text: Any, screenshot: bytes | None = None) -> Question:
    """An ambassador asks their coach; refused when nobody coaches them."""
    if not access.asking(actor):
        raise PermissionDenied
    person = actor.person
    assert person is not None
    body = text_of(text, "text", limit=MAX_TEXT)
    if selectors.coach_of(person) is None:
        raise ValidationError(
            {"text": _("You have no coach yet: HR assigns one, then you can ask them.")}
        )
    stored = _screenshot(screenshot, actor.organisation.pk)
    with transaction.atomic():
        question = Question.objects.create(
            organisation=actor.organisation, ambassador=person, text=body, screenshot=stored
        )
        audit.record(
            "coaching.question_asked", organisation=actor.organisation, actor=actor, target=question
        )
        events.record(
            "coaching.question_asked",
            actor.organisation,
            question_id=question.pk,
            ambassador_id=person.pk,
            follow_up=False,
        )
    return question


def reply(actor: Actor, question_id: int, text: Any) -> Reply:
    """A message in the thread; the coach's first one is the question's answer time."""
    body = text_of(text, "text", limit=MAX_TEXT)
    with transaction.atomic():
        question, side = access.readable_question(actor, question_id)
        question = Question.objects.select_for_update().get(pk=question.pk)
        if question.status == Question.Status.CLOSED:
            raise ValidationError({"text": _("This question is closed: ask a new one.")})
        now = timezone.now()
        message = Reply.objects.create(question=question, author=actor.person, text=body)
        question.last_message_at = now
        fields = ["last_message_at"]
        if side == "coach" and question.first_answered_at is None:
            question.first_answered_at, question.first_answered_by = now, actor.person
            fields += ["first_answered_at", "first_answered_by"]
        question.save(update_fields=fields)
        audit.record(
            "coaching.replied", organisation=actor.organisation, actor=actor, target=question
        )
        if side == "coach":
            events.record(
                "coaching.question_answered",
                actor.organisation,
                question_id=question.pk,
                reply_id=message.pk,
            )
        else:
            events.record(
                "coaching.question_asked",
                actor.organisation,
                question_id=question.pk,
                ambassador_id=question.ambassador_id,
                follow_up=True,
            )
    return message


def close(actor: Actor, question_id: int) -> Question:
    with transaction.atomic():
        question, _side = access.readable_question(actor, question_id)
        updated = Question.objects.filter(pk=question.pk, status=Question.Status.OPEN).update(
            status=Question.Status.CLOSED, closed_at=timezone.now()
        )
        if updated:
            audit.record(
                "coaching.question_closed",
                organisation=actor.organisation,
                actor=actor,
                target=question,
            )
        return Question.objects.get(pk=question.pk)


__all__ = [
    "ask",
    "assign",
    "assign_audience",
    "close",
    "give_review",
    "reply",
    "request_review",
    "save_checklist",
    "set_capacity",
    "set_explanations",
    "tick",
    "unassign",
]
