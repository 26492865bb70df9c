"""Changing a program's point rules: how many points each kind of action earns, how many
times a day at most, and for clicks, every how many human clicks.

A change applies to what is earned from then on: points already in the ledger stay.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ambassade.core import audit
from ambassade.core.authz import Actor, allowed_on_program
from ambassade.programs.models import Program
from ambassade.recognition.ledger import MAX_POINTS, rules_of
from ambassade.recognition.models import PointRule, RuleKind

MAX_DAILY_CAP = 1000
MAX_MILESTONE = 100_000
FIELDS = ("points", "daily_cap", "milestone", "enabled")


def may_manage(actor: Actor | None, program: Program) -> bool:
    return allowed_on_program(actor, "recognition.manage", program)


def _whole(value: Any) -> int | None:
    """The value as a whole number, or None when it is not one ("", 2.5, "ten", True)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_rule(kind: str, points: Any, daily_cap: Any, milestone: Any) -> dict[str, Any]:
    """The rule's values, or a ValidationError naming each field that is wrong."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    whole = _whole(points)
    if whole is None:
        errors["points"] = _("Enter the points as a whole number, such as 10.")
    elif whole < 0:
        errors["points"] = _("Points cannot be negative: enter 0 to give none.")
    elif whole > MAX_POINTS:
        errors["points"] = _("At most %(limit)d points.") % {"limit": MAX_POINTS}
    cleaned["points"] = whole
    if _empty(daily_cap):
        cleaned["daily_cap"] = None
    else:
        cap = _whole(daily_cap)
        if cap is None or not 1 <= cap <= MAX_DAILY_CAP:
            errors["daily_cap"] = _(
                "Leave the daily cap empty for none, or enter a whole number from 1 to %(limit)d."
            ) % {"limit": MAX_DAILY_CAP}
        cleaned["daily_cap"] = cap
    if kind != RuleKind.CLICKS:
        if not _empty(milestone):
            errors["milestone"] = _("Only the clicks rule counts by milestones.")
        cleaned["milestone"] = None
    else:
        every = _whole(milestone)
        if every is None or not 1 <= every <= MAX_MILESTONE:
            errors["milestone"] = _(
                "Enter every how many human clicks the points come, from 1 to %(limit)d."
            ) % {"limit": MAX_MILESTONE}
        cleaned["milestone"] = every
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def update_rule(
    actor: Actor,
    program: Program,
    kind: Any,
    *,
    points: Any,
    daily_cap: Any = None,
    milestone: Any = None,
    enabled: Any = True,
) -> PointRule:
    if not may_manage(actor, program):
        raise PermissionDenied
    if kind not in RuleKind.values:
        raise ValidationError({"kind": _("This is not one of the point rules.")})
    if not isinstance(enabled, bool):
        raise ValidationError({"enabled": _("Say whether the rule is on or off.")})
    values = {**clean_rule(kind, points, daily_cap, milestone), "enabled": enabled}
    rules_of(program)
    rule = PointRule.objects.select_for_update().get(program=program, kind=kind)
    before = {name: getattr(rule, name) for name in FIELDS}
    changed = [name for name in FIELDS if before[name] != values[name]]
    if not changed:
        return rule
    for name in changed:
        setattr(rule, name, values[name])
    rule.save()
    audit.record(
        "recognition.rule_updated",
        organisation=actor.organisation,
        actor=actor,
        target=program,
        before={name: before[name] for name in changed},
        after={"point_rule": kind, **{name: values[name] for name in changed}},
    )
    return rule
