"""Points under /api/v1/recognition/: my balances and entries (everyone), a person's and
their corrections (HR and admins), and the point rules of a program (read by the console,
changed by marketing, HR, internal communications and admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from ambassade.core.api import ApiError, ErrorResponse, PageInput, permit
from ambassade.core.api_types import Code, Id, InputSchema, Text
from ambassade.core.authz import Actor
from ambassade.people.models import Person
from ambassade.programs.models import Program
from ambassade.recognition import ledger, points, rules
from ambassade.recognition.models import LedgerEntry, PointRule, RuleKind

router = Router(tags=["recognition"])
ERRORS: dict[int, Any] = {403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse}


class PointsBalancesOut(Schema):
    lifetime: int = Field(description="Every point earned, never lowered by spending")
    spendable: int = Field(description="What rewards may still take")


class LedgerEntryOut(Schema):
    id: int
    occurred_at: datetime
    reason: str = Field(description="The code of why (share, clicks, correction...)")
    reason_name: str = Field(description="The reason in the reader's language")
    points: int = Field(description="The move of the lifetime balance")
    spendable: int = Field(description="The move of the spendable balance")
    what: str = Field(description="What it was for: an item, a module, a contribution...")
    network: str
    clicks: int | None = Field(description="Human clicks counted, for a clicks milestone")
    note: str = Field(description="Why a correction was made")
    corrects_id: int | None


class MyPointsOut(Schema):
    balances: PointsBalancesOut
    items: list[LedgerEntryOut]
    count: int
    page: int
    pages: int
    next_page: int | None


class PointRuleOut(Schema):
    kind: str
    name: str = Field(description="The rule in the reader's language")
    points: int
    daily_cap: int | None = Field(description="Entries a day at most; null: no cap")
    milestone: int | None = Field(description="Clicks rule: points every this many clicks")
    enabled: bool


class PointRuleIn(InputSchema):
    kind: Code = Field(..., max_length=16, description="share, personal, clicks, conversion...")
    # Wide bounds: the action says what is wrong with a value (a negative one, a cap of
    # 0) in words, with a 422 naming the field.
    points: int = Field(..., ge=-1_000_000, le=1_000_000, description="From 0 to 10,000")
    daily_cap: int | None = Field(None, ge=-1_000_000, le=1_000_000, description="1 to 1,000")
    milestone: int | None = Field(
        None, ge=-1_000_000, le=1_000_000, description="Clicks rule only: 1 to 100,000"
    )
    enabled: bool = True


class PointRulesIn(InputSchema):
    rules: list[PointRuleIn] = Field(..., min_length=1, max_length=len(RuleKind.values))


def _me(request: HttpRequest) -> Person:
    actor = permit(request, "recognition.view_own")
    if actor.person is None:
        raise ApiError(403, "forbidden", "An organisation token does not stand for a person.")
    return actor.person


@router.get("/me/points", response={200: MyPointsOut, **ERRORS})
def my_points(request: HttpRequest, paging: Query[PageInput]) -> dict[str, Any]:
    """My balances and my entries, the latest first, each with its reason."""
    return _points_of(_me(request), paging)


@router.get("/people/{person_id}/points", response={200: MyPointsOut, **ERRORS})
def person_points(request: HttpRequest, person_id: Id, paging: Query[PageInput]) -> dict[str, Any]:
    """A person's balances and entries, for HR and admins who correct a ledger."""
    actor = permit(request, "recognition.correct")
    return _points_of(_person(actor, person_id), paging)


class CorrectionIn(InputSchema):
    # Wide bounds: the action says in words what is wrong (0, beyond 100,000).
    points: int = Field(..., ge=-(10**9), le=10**9, description="Points to add or take back")
    note: Text = Field(..., max_length=2000, description="Why; the person reads it")
    corrects_id: Id | None = Field(None, description="The entry corrected, when there is one")


@router.post("/people/{person_id}/corrections", response={201: LedgerEntryOut, **ERRORS})
def correct_points(request: HttpRequest, person_id: Id, payload: CorrectionIn) -> Status:
    """An audited correction (fraud, a mistake): a new entry, never an edit; the person
    sees it with its reason."""
    actor = permit(request, "recognition.correct")
    person = _person(actor, person_id)
    corrects = None
    if payload.corrects_id is not None:
        corrects = LedgerEntry.objects.filter(
            organisation=actor.organisation, pk=payload.corrects_id
        ).first()
        if corrects is None:
            raise ValidationError({"corrects_id": _("This entry is not in your ledger.")})
    entry = ledger.correct(actor, person, payload.points, payload.note, corrects=corrects)
    language = translation.get_language() or "en"
    return Status(201, vars(points.line_of(entry, language)))


def _person(actor: Actor, person_id: int) -> Person:
    return get_object_or_404(Person, organisation=actor.organisation, pk=person_id)


def _points_of(person: Person, paging: PageInput) -> dict[str, Any]:
    entries = points.entries_of(person)
    count = entries.count()
    pages = max(1, -(-count // paging.page_size))
    offset = (paging.page - 1) * paging.page_size
    language = translation.get_language() or "en"
    return {
        "balances": vars(ledger.balances(person)),
        "items": [
            vars(points.line_of(entry, language))
            for entry in entries[offset : offset + paging.page_size]
        ],
        "count": count,
        "page": paging.page,
        "pages": pages,
        "next_page": paging.page + 1 if paging.page < pages else None,
    }


def _program(actor: Actor, program_id: int) -> Program:
    return get_object_or_404(Program, organisation=actor.organisation, pk=program_id)


def _rules_out(program: Program) -> list[dict[str, Any]]:
    found = ledger.rules_of(program)
    return [_rule_out(found[kind]) for kind in RuleKind.values if kind in found]


def _rule_out(rule: PointRule) -> dict[str, Any]:
    return {
        "kind": rule.kind,
        "name": str(RuleKind(rule.kind).label),
        "points": rule.points,
        "daily_cap": rule.daily_cap,
        "milestone": rule.milestone,
        "enabled": rule.enabled,
    }


@router.get("/programs/{program_id}/rules", response={200: list[PointRuleOut], **ERRORS})
def program_rules(request: HttpRequest, program_id: Id) -> list[dict[str, Any]]:
    """The program's point rules, one per kind (the defaults until changed)."""
    return _rules_out(_program(permit(request, "recognition.view"), program_id))


@router.put("/programs/{program_id}/rules", response={200: list[PointRuleOut], **ERRORS})
def change_rules(
    request: HttpRequest, program_id: Id, payload: PointRulesIn
) -> list[dict[str, Any]]:
    """Changes the rules sent (the others stay), all or none; each change is audited and
    counts for what is earned from then on."""
    actor = permit(request, "recognition.manage")
    program = _program(actor, program_id)
    kinds = [rule.kind for rule in payload.rules]
    if len(set(kinds)) != len(kinds):
        raise ValidationError({"rules": _("Send each rule once.")})
    with transaction.atomic():
        for number, rule in enumerate(payload.rules):
            try:
                rules.update_rule(
                    actor,
                    program,
                    rule.kind,
                    points=rule.points,
                    daily_cap=rule.daily_cap,
                    milestone=rule.milestone,
                    enabled=rule.enabled,
                )
            except ValidationError as error:
                raise ValidationError(
                    {
                        f"rules.{number}.{field}": messages
                        for field, messages in error.message_dict.items()
                    }
                ) from error
    return _rules_out(program)
