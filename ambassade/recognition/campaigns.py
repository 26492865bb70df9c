"""Writes of campaigns and challenges: create, change, archive.

Each action checks the actor may manage recognition on the program (of the actor's
organisation), validates every value before writing (a ValidationError naming the
fields), and writes its audit row in its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.content.models import ContentItem
from ambassade.core import audit
from ambassade.core.api_types import MAX_DAY, MIN_DAY
from ambassade.core.authz import Actor, allowed_on_program
from ambassade.people.models import Department
from ambassade.programs.models import Program
from ambassade.recognition.ledger import MAX_POINTS
from ambassade.recognition.models import Campaign, Challenge, ChallengeMetric, ChallengeScope

MAX_TARGET = 1_000_000


def _implausible() -> str:
    return _("Give a date between 1900-01-01 and 2199-12-31.")


def _manager(actor: Actor, program: Program) -> None:
    if not allowed_on_program(actor, "recognition.manage", program):
        raise PermissionDenied


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _name(values: dict[str, Any], errors: dict[str, str]) -> str:
    name = values.get("name")
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        errors["name"] = _("Give it a name.")
    elif len(name) > 200:
        errors["name"] = _("At most %(limit)d characters.") % {"limit": 200}
    return name


def _dates(values: dict[str, Any], errors: dict[str, str]) -> tuple[Any, Any]:
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts, date):
        errors["starts_on"] = _("Give the first day, as a date.")
    elif not MIN_DAY <= starts <= MAX_DAY:
        errors["starts_on"] = _implausible()
    if not isinstance(ends, date):
        errors["ends_on"] = _("Give the last day, as a date.")
    elif not MIN_DAY <= ends <= MAX_DAY:
        errors["ends_on"] = _implausible()
    if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
        errors["ends_on"] = _("The end comes before the start.")
    return starts, ends


def _ids(value: Any) -> list[int] | None:
    """Ids or objects with a pk; None when it is neither."""
    if value is None:
        return []
    if not isinstance(value, Iterable) or isinstance(value, str | bytes):
        return None
    ids: list[int] = []
    for entry in value:
        key = getattr(entry, "pk", entry)
        if not isinstance(key, int) or not _whole(key, 1, 2**62):
            return None
        ids.append(key)
    return sorted(set(ids))


def _departments(
    program: Program, value: Any, field: str, errors: dict[str, str]
) -> list[Department]:
    ids = _ids(value)
    found = (
        list(Department.objects.filter(organisation_id=program.organisation_id, pk__in=ids))
        if ids
        else []
    )
    if ids is None or len(found) != len(ids):
        errors[field] = _("Choose departments of your organisation.")
    return found


def _goal(value: Any, field: str, errors: dict[str, str], *, needed: bool) -> int | None:
    if value is None and not needed:
        return None
    if not _whole(value, 1, MAX_TARGET):
        errors[field] = _("Give a whole number from 1 to 1,000,000.")
        return None
    return int(value)


def _clean_campaign(program: Program, values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {"name": _name(values, errors)}
    description = values.get("description") or ""
    if not isinstance(description, str) or len(description) > 4000:
        errors["description"] = _("At most %(limit)d characters.") % {"limit": 4000}
    cleaned["description"] = description.strip() if isinstance(description, str) else ""
    cleaned["starts_on"], cleaned["ends_on"] = _dates(values, errors)
    item_ids = _ids(values.get("items"))
    items = list(ContentItem.objects.filter(program=program, pk__in=item_ids)) if item_ids else []
    if item_ids is None or len(items) != len(item_ids):
        errors["items"] = _("Every content item must belong to the campaign's program.")
    cleaned["items"] = items
    cleaned["target_departments"] = _departments(
        program, values.get("target_departments"), "target_departments", errors
    )
    cleaned["goal_human_clicks"] = _goal(
        values.get("goal_human_clicks"), "goal_human_clicks", errors, needed=True
    )
    cleaned["goal_conversions"] = _goal(
        values.get("goal_conversions"), "goal_conversions", errors, needed=False
    )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _snapshot(thing: Campaign | Challenge) -> dict[str, Any]:
    fields = ("name", "starts_on", "ends_on", "archived")
    extra = (
        ("goal_human_clicks", "goal_conversions")
        if isinstance(thing, Campaign)
        else ("metric", "scope", "target", "points", "campaign_id")
    )
    return {
        name: str(value) if isinstance(value, date) else value
        for name in (*fields, *extra)
        for value in [getattr(thing, name)]
    }


def _save_campaign(campaign: Campaign, cleaned: dict[str, Any]) -> None:
    for name in ("name", "description", "starts_on", "ends_on"):
        setattr(campaign, name, cleaned[name])
    campaign.goal_human_clicks = cleaned["goal_human_clicks"]
    campaign.goal_conversions = cleaned["goal_conversions"]
    campaign.save()
    campaign.items.set(cleaned["items"])
    campaign.target_departments.set(cleaned["target_departments"])


@transaction.atomic
def create_campaign(actor: Actor, program: Program, **values: Any) -> Campaign:
    _manager(actor, program)
    cleaned = _clean_campaign(program, values)
    campaign = Campaign(program=program)
    _save_campaign(campaign, cleaned)
    audit.record(
        "recognition.campaign_created",
        organisation=actor.organisation,
        actor=actor,
        target=campaign,
        after=_snapshot(campaign),
    )
    return campaign


@transaction.atomic
def change_campaign(actor: Actor, campaign: Campaign, **values: Any) -> Campaign:
    _manager(actor, campaign.program)
    cleaned = _clean_campaign(campaign.program, values)
    outside = campaign.challenges.exclude(
        starts_on__gte=cleaned["starts_on"], ends_on__lte=cleaned["ends_on"]
    )
    if outside.exists():
        raise ValidationError(
            {"ends_on": _("A challenge of this campaign would fall outside its dates.")}
        )
    before = _snapshot(campaign)
    _save_campaign(campaign, cleaned)
    audit.record(
        "recognition.campaign_changed",
        organisation=actor.organisation,
        actor=actor,
        target=campaign,
        before=before,
        after=_snapshot(campaign),
    )
    return campaign


def _archive(actor: Actor, archived: Campaign | Challenge, action: str) -> None:
    """Off the calendar, the lists and the job; what it gave stays given."""
    _manager(actor, archived.program)
    archived.archived = True
    archived.save(update_fields=["archived"])
    audit.record(action, organisation=actor.organisation, actor=actor, target=archived)


@transaction.atomic
def archive_campaign(actor: Actor, campaign: Campaign) -> Campaign:
    _archive(actor, campaign, "recognition.campaign_archived")
    return campaign


def _clean_challenge(program: Program, values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {"name": _name(values, errors)}
    campaign = values.get("campaign")
    if campaign is not None and not isinstance(campaign, Campaign):
        key = campaign
        campaign = (
            Campaign.objects.filter(program=program, pk=key).first()
            if _whole(key, 1, 2**62)
            else None
        )
        if campaign is None:
            errors["campaign"] = _("Choose a campaign of the same program.")
    elif campaign is not None and campaign.program_id != program.pk:
        errors["campaign"] = _("Choose a campaign of the same program.")
        campaign = None
    cleaned["campaign"] = campaign
    metric = values.get("metric") or ChallengeMetric.HUMAN_CLICKS
    if metric not in ChallengeMetric.values:
        errors["metric"] = _("Choose human clicks or shares.")
    cleaned["metric"] = metric
    scope = values.get("scope") or ChallengeScope.COLLECTIVE
    if scope not in ChallengeScope.values:
        errors["scope"] = _("Choose a collective or an individual goal.")
    cleaned["scope"] = scope
    cleaned["target"] = _goal(values.get("target"), "target", errors, needed=True)
    points = values.get("points", 0)
    if not _whole(points, 0, MAX_POINTS):
        errors["points"] = _("Give the points as a whole number from 0 to %(limit)d.") % {
            "limit": MAX_POINTS
        }
    cleaned["points"] = points
    starts, ends = _dates(values, errors)
    cleaned["starts_on"], cleaned["ends_on"] = starts, ends
    if (
        campaign is not None
        and "ends_on" not in errors
        and "starts_on" not in errors
        and (starts < campaign.starts_on or ends > campaign.ends_on)
    ):
        errors["starts_on"] = _(
            "A campaign's challenge takes place within the campaign's dates (%(start)s to %(end)s)."
        ) % {"start": campaign.starts_on.isoformat(), "end": campaign.ends_on.isoformat()}
    cleaned["eligible_departments"] = _departments(
        program, values.get("eligible_departments"), "eligible_departments", errors
    )
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save_challenge(challenge: Challenge, cleaned: dict[str, Any]) -> None:
    for name in ("name", "campaign", "metric", "scope", "target", "points"):
        setattr(challenge, name, cleaned[name])
    challenge.starts_on, challenge.ends_on = cleaned["starts_on"], cleaned["ends_on"]
    challenge.save()
    challenge.eligible_departments.set(cleaned["eligible_departments"])


@transaction.atomic
def create_challenge(actor: Actor, program: Program, **values: Any) -> Challenge:
    _manager(actor, program)
    cleaned = _clean_challenge(program, values)
    challenge = Challenge(program=program)
    _save_challenge(challenge, cleaned)
    audit.record(
        "recognition.challenge_created",
        organisation=actor.organisation,
        actor=actor,
        target=challenge,
        after=_snapshot(challenge),
    )
    return challenge


@transaction.atomic
def change_challenge(actor: Actor, challenge: Challenge, **values: Any) -> Challenge:
    _manager(actor, challenge.program)
    if challenge.completed_at is not None:
        raise ValidationError(_("This challenge is completed: it no longer changes."))
    cleaned = _clean_challenge(challenge.program, values)
    before = _snapshot(challenge)
    _save_challenge(challenge, cleaned)
    audit.record(
        "recognition.challenge_changed",
        organisation=actor.organisation,
        actor=actor,
        target=challenge,
        before=before,
        after=_snapshot(challenge),
    )
    return challenge


@transaction.atomic
def archive_challenge(actor: Actor, challenge: Challenge) -> Challenge:
    _archive(actor, challenge, "recognition.challenge_archived")
    return challenge
