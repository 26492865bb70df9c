"""Every write of the crisis app: start, update, end (by hand or at its date).

Each runs in one transaction with its audit row, its timeline steps and its domain
event; it drives sharing's pause (``sharing.actions.pause``), which holds the posts of
everyone but the spokespeople. The notices to everyone go out from the subscribers of
``crisis.started`` and ``crisis.ended`` (subscribers.py), after commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ambassade.core import audit, events
from ambassade.core.authz import Actor, allowed
from ambassade.core.models import Organisation
from ambassade.crisis import notices
from ambassade.crisis.models import AtEnd, AtStart, Crisis, Step
from ambassade.people.models import Person
from ambassade.sharing.actions import pause
from ambassade.sharing.selectors import held_targets

MAX_NAME = 200
MAX_DESCRIPTION = 3000
MAX_ADVICE = 2000


def _check(actor: Actor) -> None:
    if not allowed(actor, "crisis.manage"):
        raise PermissionDenied


def _label(actor: Actor | None) -> str:
    return (actor.label if actor else "system")[:200]


def _step(
    crisis: Crisis, kind: str, actor: Actor | None, count: int | None = None, **kw: Any
) -> None:
    Step.objects.create(
        crisis=crisis,
        kind=kind,
        count=count,
        actor_label=_label(actor),
        detail=kw.get("detail", "")[:500],
    )


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > limit:
        raise ValidationError({field: _("At most %(limit)d characters.") % {"limit": limit}})
    return value


def _end_date(value: datetime | None, now: datetime) -> datetime:
    if value is None:
        raise ValidationError({"ends_at": _("Choose when the crisis ends.")})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value <= now:
        raise ValidationError({"ends_at": _("The end of the crisis must be in the future.")})
    return value


def _people(organisation: Organisation, ids: Iterable[int]) -> list[Person]:
    wanted = sorted(set(ids))
    found = list(
        Person.objects.filter(organisation=organisation, pk__in=wanted, anonymised_at__isnull=True)
        .exclude(employment_status="left")
        .order_by("pk")
    )
    missing = sorted(set(wanted) - {person.pk for person in found})
    if missing:
        raise ValidationError(
            {
                "exempt": _("These people are not in your organisation: %(ids)s.")
                % {"ids": ", ".join(str(pk) for pk in missing[:20])}
            }
        )
    return found


def _in_house_language(organisation: Organisation) -> translation.override:
    """Texts stored for everyone (the pause's reason) are in the organisation's language."""
    return translation.override(organisation.default_language or settings.LANGUAGE_CODE)


def start_crisis(
    actor: Actor,
    *,
    name: str,
    description: str,
    ends_at: datetime | None,
    to_do: str = "",
    not_to_do: str = "",
    exempt: Iterable[int] = (),
    at_start: str = AtStart.HOLD,
    at_end: str = AtEnd.RESUME,
) -> Crisis:
    _check(actor)
    organisation = actor.organisation
    now = timezone.now()
    name = _text(name, "name", MAX_NAME, required=True)
    description = _text(description, "description", MAX_DESCRIPTION, required=True)
    to_do = _text(to_do, "to_do", MAX_ADVICE)
    not_to_do = _text(not_to_do, "not_to_do", MAX_ADVICE)
    ends_at = _end_date(ends_at, now)
    if at_start not in AtStart.values:
        raise ValidationError({"at_start": _("Choose what becomes of the scheduled posts.")})
    if at_end not in AtEnd.values:
        raise ValidationError({"at_end": _("Choose what becomes of the held posts at the end.")})
    people = _people(organisation, exempt)
    running = _("A crisis is already running: update it or end it first.")
    try:
        with transaction.atomic():
            if (
                Crisis.objects.select_for_update()
                .filter(organisation=organisation, ended_at__isnull=True)
                .exists()
            ):
                raise ValidationError(running)
            crisis = Crisis.objects.create(
                organisation=organisation,
                name=name,
                description=description,
                to_do=to_do,
                not_to_do=not_to_do,
                started_at=now,
                ends_at=ends_at,
                at_start=at_start,
                at_end=at_end,
                started_by_label=_label(actor),
            )
            crisis.exempt.set(people)
            _step(crisis, Step.Kind.STARTED, actor, detail=crisis.name)
            if people:
                _step(crisis, Step.Kind.EXEMPT_CHANGED, actor, len(people), detail=_names(people))
            with _in_house_language(organisation):
                reason = notices.held_reason(crisis)
            pause.hold(organisation, actor, reason, exempt=people)
            held = held_targets(organisation).count()
            _step(crisis, Step.Kind.POSTS_HELD, actor, held)
            if at_start == AtStart.CANCEL:
                _settle(crisis, actor, returned=False)
            elif at_start == AtStart.RETURN:
                _settle(crisis, actor, returned=True)
            audit.record(
                "crisis.started",
                organisation=organisation,
                actor=actor,
                target=crisis,
                after={
                    "name": crisis.name,
                    "ends_at": ends_at.isoformat(),
                    "exempt": [person.pk for person in people],
                    "at_start": at_start,
                    "at_end": at_end,
                    "held": held,
                },
            )
            events.record(
                "crisis.started",
                organisation,
                crisis_id=crisis.pk,
                title=crisis.name,
                ends_at=ends_at.isoformat(),
            )
    except IntegrityError:  # another crisis was started meanwhile (crisis_one_running)
        raise ValidationError(running) from None
    return crisis


def _names(people: list[Person]) -> str:
    return ", ".join(person.full_name for person in people)


def _settle(crisis: Crisis, actor: Actor | None, *, returned: bool) -> int:
    """The held posts go back to their authors, or are cancelled; the authors are told."""
    organisation = crisis.organisation
    with _in_house_language(organisation):
        if returned:
            targets = pause.return_held(organisation, actor, notices.returned_reason(crisis))
        else:
            targets = pause.cancel_held(organisation, actor, notices.cancelled_reason(crisis))
    kind = Step.Kind.POSTS_RETURNED if returned else Step.Kind.POSTS_CANCELLED
    _step(crisis, kind, actor, len(targets))
    notices.tell_authors(targets, crisis, returned=returned)
    return len(targets)


def _locked(organisation: Organisation, crisis: Crisis) -> Crisis:
    found = (
        Crisis.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(pk=crisis.pk, organisation=organisation)
        .first()
    )
    if found is None:
        raise PermissionDenied
    if found.ended_at is not None:
        raise ValidationError(_("This crisis has already ended."))
    return found


def update_crisis(
    actor: Actor,
    crisis: Crisis,
    *,
    description: str | None = None,
    to_do: str | None = None,
    not_to_do: str | None = None,
    ends_at: datetime | None = None,
    exempt: Iterable[int] | None = None,
    at_end: str | None = None,
) -> Crisis:
    """Changes what a running crisis says, when it ends, who still shares, and what
    becomes of the held posts at its end. ``None``: unchanged."""
    _check(actor)
    organisation = actor.organisation
    with transaction.atomic():
        locked = _locked(organisation, crisis)
        before = {
            "description": locked.description,
            "ends_at": locked.ends_at.isoformat(),
            "exempt": sorted(locked.exempt.values_list("pk", flat=True)),
            "at_end": locked.at_end,
        }
        words_changed = False
        if description is not None:
            text = _text(description, "description", MAX_DESCRIPTION, required=True)
            words_changed |= text != locked.description
            locked.description = text
        if to_do is not None:
            text = _text(to_do, "to_do", MAX_ADVICE)
            words_changed |= text != locked.to_do
            locked.to_do = text
        if not_to_do is not None:
            text = _text(not_to_do, "not_to_do", MAX_ADVICE)
            words_changed |= text != locked.not_to_do
            locked.not_to_do = text
        if ends_at is not None:
            moment = _end_date(ends_at, timezone.now())
            if moment != locked.ends_at:
                locked.ends_at = moment
                _step(locked, Step.Kind.END_DATE_CHANGED, actor, detail=moment.isoformat())
        if at_end is not None:
            if at_end not in AtEnd.values:
                raise ValidationError(
                    {"at_end": _("Choose what becomes of the held posts at the end.")}
                )
            locked.at_end = at_end
        if words_changed:
            _step(locked, Step.Kind.DESCRIPTION_UPDATED, actor)
        locked.save()
        if exempt is not None:
            people = _people(organisation, exempt)
            if sorted(person.pk for person in people) != before["exempt"]:
                locked.exempt.set(people)
                with _in_house_language(organisation):
                    reason = notices.held_reason(locked)
                pause.hold(organisation, actor, reason, exempt=people)
                _step(locked, Step.Kind.EXEMPT_CHANGED, actor, len(people), detail=_names(people))
        audit.record(
            "crisis.updated",
            organisation=organisation,
            actor=actor,
            target=locked,
            before=before,
            after={
                "description": locked.description,
                "ends_at": locked.ends_at.isoformat(),
                "exempt": sorted(locked.exempt.values_list("pk", flat=True)),
                "at_end": locked.at_end,
            },
        )
    return locked


def end_crisis(
    actor: Actor | None, crisis: Crisis, *, organisation: Organisation | None = None
) -> Crisis:
    """Ends the crisis now: the held posts resume or go back to their authors, as chosen,
    and sharing opens again. ``actor`` None: the periodic job, at the crisis's date."""
    if actor is not None:
        _check(actor)
        organisation = actor.organisation
    assert organisation is not None
    with transaction.atomic():
        locked = _locked(organisation, crisis)
        locked.ended_at = timezone.now()
        locked.ended_by_label = _label(actor)
        locked.save(update_fields=["ended_at", "ended_by_label"])
        _step(locked, Step.Kind.ENDED if actor else Step.Kind.ENDED_AT_DATE, actor)
        if locked.at_end == AtEnd.RETURN:
            _settle(locked, actor, returned=True)
        resumed = pause.resume(organisation, actor)
        if locked.at_end == AtEnd.RESUME:
            _step(locked, Step.Kind.POSTS_RESUMED, actor, resumed)
        audit.record(
            "crisis.ended",
            organisation=organisation,
            actor=actor,
            target=locked,
            after={"at_end": locked.at_end, "resumed": resumed, "by_date": actor is None},
        )
        events.record(
            "crisis.ended",
            organisation,
            crisis_id=locked.pk,
            title=locked.name,
            at_end=locked.at_end,
            by_date=actor is None,
        )
    return locked


def end_due(now: datetime | None = None) -> int:
    """Ends every crisis whose end date has come (the ``end_due_crises`` job)."""
    now = now or timezone.now()
    ended = 0
    due = Crisis.objects.filter(ended_at__isnull=True, ends_at__lte=now).select_related(
        "organisation"
    )
    for crisis in list(due[:100]):
        try:
            end_crisis(None, crisis, organisation=crisis.organisation)
        except ValidationError:
            continue  # ended by hand meanwhile
        ended += 1
    return ended
