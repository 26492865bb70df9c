"""Every write of the rewards catalogue: rewards (the working group), requests (everyone)
and their fulfilment (HR, internal communications, admins).

A request is decided under locks, in one transaction: the reward's row first (two people
racing for the last item queue there, the second finds the stock at 0), then the
person's profile row in ledger.spend() (two requests of one person queue there, the
second finds the balance already spent). Cancelling locks the request's row, so a
request is cancelled, and its points and item given back, once.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit, events
from ambassade.core.authz import Actor, allowed
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program
from ambassade.recognition import ledger
from ambassade.recognition.models import RequestStatus, Reward, RewardRequest

MAX_COST = 1_000_000
MAX_STOCK = 100_000
REWARD_FIELDS = ("name", "description", "cost", "stock", "eligible", "active")
OPEN = (RequestStatus.REQUESTED, RequestStatus.APPROVED)


def _manager(actor: Actor) -> None:
    if not allowed(actor, "recognition.manage"):
        raise PermissionDenied


def _own(actor: Actor, found: Reward | RewardRequest) -> None:
    if found.organisation_id != actor.organisation.pk:
        raise PermissionDenied


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _clean(values: dict[str, Any], organisation_id: int) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    name = values.get("name")
    cleaned["name"] = name.strip() if isinstance(name, str) else ""
    if not cleaned["name"]:
        errors["name"] = _("Give the reward a name.")
    elif len(cleaned["name"]) > 200:
        errors["name"] = _("At most %(limit)d characters.") % {"limit": 200}
    description = values.get("description")
    cleaned["description"] = description.strip() if isinstance(description, str) else ""
    if len(cleaned["description"]) > 2000:
        errors["description"] = _("At most %(limit)d characters.") % {"limit": 2000}
    cleaned["cost"] = values.get("cost")
    if not _whole(cleaned["cost"], 1, MAX_COST):
        errors["cost"] = _("The cost is a whole number of points, from 1 to 1,000,000.")
    cleaned["stock"] = values.get("stock")
    if not _whole(cleaned["stock"], 0, MAX_STOCK):
        errors["stock"] = _("The stock is the number still available, from 0 to 100,000.")
    cleaned["active"] = values.get("active", True) is not False
    wanted = set(values.get("eligible") or [])
    programs = list(Program.objects.filter(organisation_id=organisation_id, pk__in=wanted))
    if len(programs) != len(wanted):
        errors["eligible"] = _("Choose programs of your organisation.")
    cleaned["eligible"] = programs
    if errors:
        raise ValidationError(errors)
    return cleaned


def values_of(reward: Reward) -> dict[str, Any]:
    return {
        "name": reward.name,
        "description": reward.description,
        "cost": reward.cost,
        "stock": reward.stock,
        "eligible": sorted(program.pk for program in reward.eligible.all()),
        "active": reward.active,
    }


def _trace(values: dict[str, Any]) -> dict[str, Any]:
    """What the audit row keeps: the programs by name, as the log's reader knows them."""
    return {
        name: sorted(p.name for p in value) if name == "eligible" else value
        for name, value in values.items()
        if name != "description"
    }


@transaction.atomic
def create_reward(actor: Actor, **values: Any) -> Reward:
    _manager(actor)
    cleaned = _clean({"stock": 0, **values}, actor.organisation.pk)
    programs = cleaned.pop("eligible")
    reward = Reward.objects.create(organisation=actor.organisation, **cleaned)
    reward.eligible.set(programs)
    audit.record(
        "recognition.reward_created",
        organisation=actor.organisation,
        actor=actor,
        target=reward,
        after=_trace({**cleaned, "eligible": programs}),
    )
    return reward


@transaction.atomic
def change_reward(actor: Actor, reward: Reward, **changes: Any) -> Reward:
    """Only the fields given change. The row is locked: a request taking one from the
    stock at the same moment is not overwritten."""
    _manager(actor)
    _own(actor, reward)
    unknown = set(changes) - set(REWARD_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    before = values_of(reward)
    before_trace = _trace({**before, "eligible": list(reward.eligible.all())})
    cleaned = _clean({**before, **changes}, actor.organisation.pk)
    programs = cleaned.pop("eligible")
    for name, value in cleaned.items():
        setattr(reward, name, value)
    reward.save()
    reward.eligible.set(programs)
    after = _trace({**cleaned, "eligible": programs})
    audit.record(
        "recognition.reward_retired"
        if before["active"] and not reward.active
        else "recognition.reward_changed",
        organisation=actor.organisation,
        actor=actor,
        target=reward,
        before={name: before_trace[name] for name in changes if name in after},
        after={name: after[name] for name in changes if name in after},
    )
    return reward


def retire_reward(actor: Actor, reward: Reward) -> Reward:
    """Out of the catalogue; the requests already made go on."""
    return change_reward(actor, reward, active=False)


def is_eligible(person: Person, reward: Reward) -> bool:
    """Actively enrolled in one of the reward's programs (any program of the organisation
    when it names none)."""
    enrolments = Enrolment.objects.filter(
        person=person,
        status=Enrolment.Status.ACTIVE,
        program__organisation_id=reward.organisation_id,
        program__status=Program.Status.ACTIVE,
    )
    programs = [program.pk for program in reward.eligible.all()]
    if programs:
        enrolments = enrolments.filter(program_id__in=programs)
    return enrolments.exists()


def _note(value: Any, field: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > 500:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": 500}})
    return text


@transaction.atomic
def request_reward(actor: Actor, reward: Reward, note: Any = "") -> RewardRequest:
    if not allowed(actor, "recognition.manage_own") or actor.person is None:
        raise PermissionDenied
    _own(actor, reward)
    person = actor.person
    text = _note(note, "note")
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    if not reward.active:
        raise ValidationError(_("This reward is no longer offered."))
    if not is_eligible(person, reward):
        raise ValidationError(_("This reward is for the ambassadors of other programs."))
    if reward.stock == 0:
        raise ValidationError(_("No more of this reward is available."))
    request = RewardRequest.objects.create(
        organisation=actor.organisation, reward=reward, person=person, cost=reward.cost, note=text
    )
    request.spent = ledger.spend(
        person,
        reward.cost,
        key=f"reward_request:{request.pk}",
        detail={"reward": reward.name[:200], "request": request.pk},
    )
    request.save(update_fields=["spent", "updated_at"])
    reward.stock -= 1
    reward.save(update_fields=["stock", "updated_at"])
    audit.record(
        "recognition.reward_requested",
        organisation=actor.organisation,
        actor=actor,
        target=request,
        after={"cost": reward.cost, "request_status": RequestStatus.REQUESTED},
    )
    return request


def _locked(actor: Actor, request: RewardRequest) -> RewardRequest:
    _own(actor, request)
    return RewardRequest.objects.select_for_update().select_related("reward").get(pk=request.pk)


def _move(
    actor: Actor, request: RewardRequest, status: str, answer: str, code: str
) -> RewardRequest:
    before = request.status
    request.status = status
    request.answer = answer or request.answer
    request.decided_by = actor.person
    setattr(request, f"{status}_at", timezone.now())
    request.save()
    audit.record(
        code,
        organisation=actor.organisation,
        actor=actor,
        target=request,
        before={"request_status": before},
        after={"request_status": status},
    )
    # The person is told (recognition/notices.py), unless they cancelled it themselves.
    events.record(
        "recognition.reward_request_decided",
        actor.organisation,
        request_id=request.pk,
        person_id=request.person_id,
        reward_id=request.reward_id,
        status=status,
        reward_name=request.reward.name,
        by_requester=actor.person is not None and actor.person.pk == request.person_id,
    )
    return request


@transaction.atomic
def approve(actor: Actor, request: RewardRequest, answer: Any = "") -> RewardRequest:
    if not allowed(actor, "recognition.fulfil"):
        raise PermissionDenied
    text = _note(answer, "answer")
    request = _locked(actor, request)
    if request.status != RequestStatus.REQUESTED:
        raise ValidationError(_("Only a request waiting for approval can be approved."))
    return _move(actor, request, RequestStatus.APPROVED, text, "recognition.reward_approved")


@transaction.atomic
def mark_sent(actor: Actor, request: RewardRequest, answer: Any = "") -> RewardRequest:
    if not allowed(actor, "recognition.fulfil"):
        raise PermissionDenied
    text = _note(answer, "answer")
    request = _locked(actor, request)
    if request.status == RequestStatus.REQUESTED:
        raise ValidationError(_("Approve the request before marking it sent."))
    if request.status != RequestStatus.APPROVED:
        raise ValidationError(_("Only an approved request can be marked sent."))
    return _move(actor, request, RequestStatus.SENT, text, "recognition.reward_sent")


@transaction.atomic
def cancel(actor: Actor, request: RewardRequest, answer: Any = "") -> RewardRequest:
    """The team cancels a request not sent yet; the person their own while it waits for
    approval. The points and the item come back."""
    fulfiller = allowed(actor, "recognition.fulfil")
    mine = actor.person is not None and request.person_id == actor.person.pk
    if not fulfiller and not (mine and allowed(actor, "recognition.manage_own")):
        raise PermissionDenied
    text = _note(answer, "answer")
    request = _locked(actor, request)
    if request.status == RequestStatus.CANCELLED:
        raise ValidationError(_("This request is already cancelled: its points were returned."))
    if request.status == RequestStatus.SENT:
        raise ValidationError(_("This reward was sent: the request can no longer be cancelled."))
    if not fulfiller and request.status != RequestStatus.REQUESTED:
        raise ValidationError(
            _("This request is approved: ask the team that sends rewards to cancel it.")
        )
    request.returned = ledger.give_back(
        request.person,
        request.cost,
        key=f"reward_returned:{request.pk}",
        detail={"reward": request.reward.name[:200], "request": request.pk},
    )
    reward = Reward.objects.select_for_update().get(pk=request.reward_id)
    reward.stock += 1
    reward.save(update_fields=["stock", "updated_at"])
    return _move(actor, request, RequestStatus.CANCELLED, text, "recognition.reward_cancelled")
