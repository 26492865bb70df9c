"""Every write of the prize draws: drafts, publishing, entries, the draw itself (the
procedure that picks and re-checks the winners is in draw_procedure.py)."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor, allowed
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program
from ambassade.recognition.draw_procedure import hash_of, pick
from ambassade.recognition.ledger import earned_between
from ambassade.recognition.models import Draw, DrawEntry, DrawResult, DrawStatus, LedgerEntry

MAX_WINNERS = 20
MAX_CAP = 10_000_000
DRAW_FIELDS = ("name", "prize", "rules", "opens_on", "closes_on", "winners", "cap")


def today() -> date:
    return timezone.now().astimezone(UTC).date()


def _manager(actor: Actor, draw: Draw | None = None) -> None:
    if not allowed(actor, "recognition.manage"):
        raise PermissionDenied
    if draw is not None and draw.organisation_id != actor.organisation.pk:
        raise PermissionDenied


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _text(values: dict[str, Any], name: str, limit: int, errors: dict[str, str]) -> str:
    value = values.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        errors[name] = _("At most %(limit)d characters.") % {"limit": limit}
    return text


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {
        "name": _text(values, "name", 200, errors),
        "prize": _text(values, "prize", 2000, errors),
        "rules": _text(values, "rules", 5000, errors),
    }
    if not cleaned["name"] and "name" not in errors:
        errors["name"] = _("Give the draw a name.")
    if not cleaned["prize"] and "prize" not in errors:
        errors["prize"] = _("Say what the prize is.")
    for name in ("opens_on", "closes_on"):
        cleaned[name] = values.get(name)
        if not isinstance(cleaned[name], date):
            errors[name] = _("Give a date.")
    dated = "opens_on" not in errors and "closes_on" not in errors
    if dated and cleaned["closes_on"] < cleaned["opens_on"]:
        errors["closes_on"] = _("The end comes before the start.")
    cleaned["winners"] = values.get("winners")
    if not _whole(cleaned["winners"], 1, MAX_WINNERS):
        errors["winners"] = _("The number of winners goes from 1 to 20.")
    cleaned["cap"] = values.get("cap")
    if cleaned["cap"] is not None and not _whole(cleaned["cap"], 1, MAX_CAP):
        errors["cap"] = _("The cap is a whole number of points of at least 1, or empty.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def values_of(draw: Draw) -> dict[str, Any]:
    return {name: getattr(draw, name) for name in DRAW_FIELDS}


def _trace(values: dict[str, Any]) -> dict[str, Any]:
    """What the audit row keeps: plain values (dates as text), not the long texts."""
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in values.items()
        if name not in ("prize", "rules")
    }


@transaction.atomic
def create_draw(actor: Actor, **values: Any) -> Draw:
    _manager(actor)
    cleaned = _clean({"winners": 1, "cap": None, **values})
    draw = Draw.objects.create(organisation=actor.organisation, created_by=actor.person, **cleaned)
    audit.record(
        "recognition.draw_created",
        organisation=actor.organisation,
        actor=actor,
        target=draw,
        after=_trace(cleaned),
    )
    return draw


def _locked(actor: Actor, draw: Draw) -> Draw:
    _manager(actor, draw)
    return Draw.objects.select_for_update().get(pk=draw.pk)


@transaction.atomic
def change_draw(actor: Actor, draw: Draw, **changes: Any) -> Draw:
    """Only a draft changes: once published, its rules are what people entered under."""
    draw = _locked(actor, draw)
    unknown = set(changes) - set(DRAW_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    if draw.status != DrawStatus.DRAFT:
        raise ValidationError(_("A published draw keeps its rules: it can no longer change."))
    before = values_of(draw)
    cleaned = _clean({**before, **changes})
    for name, value in cleaned.items():
        setattr(draw, name, value)
    draw.save()
    after = _trace(cleaned)
    audit.record(
        "recognition.draw_changed",
        organisation=actor.organisation,
        actor=actor,
        target=draw,
        before={k: v for k, v in _trace(before).items() if k in changes},
        after={k: v for k, v in after.items() if k in changes},
    )
    return draw


def _moved(actor: Actor, draw: Draw, code: str, before: str) -> Draw:
    audit.record(
        code,
        organisation=actor.organisation,
        actor=actor,
        target=draw,
        before={"draw_status": before},
        after={"draw_status": draw.status},
    )
    return draw


@transaction.atomic
def publish(actor: Actor, draw: Draw) -> Draw:
    """The rules and the seed's hash are shown from now on; the seed stays secret."""
    draw = _locked(actor, draw)
    if draw.status != DrawStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    # The rules are known before any point counts: published on its first day at the latest.
    if draw.opens_on < today():
        raise ValidationError(
            _("A draw is published before it opens: move its start to today or later.")
        )
    draw.secret = secrets.token_hex(32)
    draw.seed_hash = hash_of(draw.secret)
    draw.status = DrawStatus.PUBLISHED
    draw.published_at = timezone.now()
    draw.save()
    return _moved(actor, draw, "recognition.draw_published", DrawStatus.DRAFT)


@transaction.atomic
def cancel(actor: Actor, draw: Draw) -> Draw:
    draw = _locked(actor, draw)
    if draw.status in (DrawStatus.DRAWN, DrawStatus.CANCELLED):
        raise ValidationError(_("This draw is already over: it can no longer be cancelled."))
    before = draw.status
    draw.status = DrawStatus.CANCELLED
    draw.save()
    return _moved(actor, draw, "recognition.draw_cancelled", before)


def is_eligible(person: Person, draw: Draw) -> bool:
    """Actively enrolled in one of the organisation's active programs."""
    return Enrolment.objects.filter(
        person=person,
        status=Enrolment.Status.ACTIVE,
        program__organisation_id=draw.organisation_id,
        program__status=Program.Status.ACTIVE,
    ).exists()


def is_open(draw: Draw) -> bool:
    return draw.status == DrawStatus.PUBLISHED and today() <= draw.closes_on


def _entrant(actor: Actor, draw: Draw) -> Person:
    if not allowed(actor, "recognition.manage_own") or actor.person is None:
        raise PermissionDenied
    if draw.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    if not is_open(draw):
        raise ValidationError(_("This draw is not open for entries."))
    return actor.person


@transaction.atomic
def enter(actor: Actor, draw: Draw) -> DrawEntry:
    person = _entrant(actor, draw)
    if not is_eligible(person, draw):
        raise ValidationError(_("Draws are for the ambassadors of the organisation's programs."))
    try:
        with transaction.atomic():
            entry = DrawEntry.objects.create(draw=draw, person=person)
    except IntegrityError:
        raise ValidationError(_("You have already entered this draw.")) from None
    audit.record(
        "recognition.draw_entered", organisation=actor.organisation, actor=actor, target=draw
    )
    return entry


@transaction.atomic
def leave(actor: Actor, draw: Draw) -> None:
    person = _entrant(actor, draw)
    deleted, _unused = DrawEntry.objects.filter(draw=draw, person=person).delete()
    if not deleted:
        raise ValidationError(_("You have not entered this draw."))
    audit.record("recognition.draw_left", organisation=actor.organisation, actor=actor, target=draw)


def period_of(draw: Draw) -> tuple[datetime, datetime]:
    """From the first day's start to the day after the last (UTC), as the ledger counts."""
    start = datetime.combine(draw.opens_on, time.min, tzinfo=UTC)
    return start, datetime.combine(draw.closes_on + timedelta(days=1), time.min, tzinfo=UTC)


def weights_of(draw: Draw) -> dict[int, int]:
    """Each entrant's weight: the points earned in the period (spends and returns don't
    count), at most the cap; entrants without any left out."""
    start, end = period_of(draw)
    entrants = DrawEntry.objects.filter(draw=draw).values("person_id")
    totals = (
        LedgerEntry.objects.filter(
            earned_between(draw.organisation_id, start, end), person_id__in=entrants
        )
        .values("person_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    weights = {}
    for row in totals:
        weight = row["total"] or 0
        if draw.cap is not None:
            weight = min(weight, draw.cap)
        if weight > 0:
            weights[row["person_id"]] = weight
    return weights


@transaction.atomic
def draw_winners(actor: Actor, draw: Draw) -> Draw:
    draw = _locked(actor, draw)
    if draw.status != DrawStatus.PUBLISHED:
        raise ValidationError(_("Only a published draw can be drawn."))
    if today() <= draw.closes_on:
        raise ValidationError(
            _("The draw can only take place after it closes, from %(day)s.")
            % {"day": (draw.closes_on + timedelta(days=1)).isoformat()}
        )
    weights = weights_of(draw)
    order = {person_id: k for k, person_id in enumerate(pick(draw.secret, weights, draw.winners))}
    DrawResult.objects.bulk_create(
        DrawResult(
            draw=draw,
            person_id=person_id,
            weight=weight,
            position=order[person_id] + 1 if person_id in order else None,
        )
        for person_id, weight in sorted(weights.items())
    )
    draw.seed = draw.secret
    draw.status = DrawStatus.DRAWN
    draw.drawn_at = timezone.now()
    draw.save()
    audit.record(
        "recognition.draw_drawn",
        organisation=actor.organisation,
        actor=actor,
        target=draw,
        before={"draw_status": DrawStatus.PUBLISHED},
        after={"draw_status": DrawStatus.DRAWN, "winners": len(order), "entrants": len(weights)},
    )
    return draw
