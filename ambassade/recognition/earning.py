"""Points for what a person did beyond sharing: a suggestion accepted (moderated, or a
trusted author's published directly), a training module passed, a contribution logged,
a field report found useful (read from its event's payload: the field app sits above).
Each runs as an event subscriber (core/events.py) and reads what the database says now,
not what the payload said then; each entry's key makes a redelivered event add nothing.

A module is the organisation's, not one program's, and a contribution may name no
program: such points go to the person's oldest active enrolment (none: no points, as
for anyone outside the programs).
"""

from __future__ import annotations

from ambassade.content.models import Suggestion
from ambassade.contributions.models import Contribution
from ambassade.core.events import subscribe
from ambassade.core.models import DomainEvent
from ambassade.learning.models import Module
from ambassade.people.models import Person
from ambassade.programs.models import Enrolment, Program
from ambassade.recognition import ledger
from ambassade.recognition.models import RuleKind


def home_program(person: Person) -> Program | None:
    """The program of the person's oldest active enrolment in a running program."""
    enrolment = (
        Enrolment.objects.filter(
            person=person,
            status=Enrolment.Status.ACTIVE,
            program__organisation_id=person.organisation_id,
            program__status=Program.Status.ACTIVE,
        )
        .select_related("program")
        .order_by("started_at", "pk")
        .first()
    )
    return enrolment.program if enrolment is not None else None


def _person(event: DomainEvent) -> Person | None:
    person = (
        Person.objects.filter(
            organisation_id=event.organisation_id or 0, pk=event.payload.get("person_id")
        )
        .select_related("organisation")
        .first()
    )
    if person is None or person.anonymised_at is not None:
        return None
    return person


def _accepted(event: DomainEvent, **lookup: object) -> Suggestion | None:
    return (
        Suggestion.objects.filter(
            organisation_id=event.organisation_id or 0, state=Suggestion.State.ACCEPTED, **lookup
        )
        .select_related("item__program", "author__organisation")
        .first()
    )


def _earn_for(suggestion: Suggestion | None, event: DomainEvent) -> None:
    if suggestion is None or suggestion.author.anonymised_at is not None:
        return
    person = suggestion.author
    program = suggestion.item.program if suggestion.item is not None else home_program(person)
    if program is None:
        return
    detail = {"item": suggestion.item.title[:200]} if suggestion.item is not None else {}
    ledger.earn(
        person,
        program,
        RuleKind.SUGGESTION,
        key=f"suggestion:{suggestion.pk}",
        event=event,
        detail=detail,
    )


@subscribe("content.suggestion_decided")
def points_for_a_suggestion(event: DomainEvent) -> None:
    _earn_for(_accepted(event, pk=event.payload.get("suggestion_id")), event)


@subscribe("content.item_published")
def points_for_a_trusted_suggestion(event: DomainEvent) -> None:
    """A trusted author's suggestion is published directly, without a decision: it is
    accepted all the same. (A moderated one's item published later finds its key.)"""
    _earn_for(_accepted(event, item_id=event.payload.get("item_id")), event)


@subscribe("learning.module_passed")
def points_for_a_module(event: DomainEvent) -> None:
    person = _person(event)
    module = Module.objects.filter(
        organisation_id=event.organisation_id or 0, pk=event.payload.get("module_id")
    ).first()
    if person is None or module is None:
        return
    program = home_program(person)
    if program is None:
        return
    # Once per module: passing it again (a refresher, a new version) is not new learning.
    ledger.earn(
        person,
        program,
        RuleKind.MODULE,
        key=f"module:{person.pk}:{module.pk}",
        event=event,
        detail={"module": module.title_fr[:200], "module_en": module.title_en[:200]},
    )


@subscribe("contributions.contribution_logged")
def points_for_a_contribution(event: DomainEvent) -> None:
    contribution = (
        Contribution.objects.filter(
            organisation_id=event.organisation_id or 0, pk=event.payload.get("contribution_id")
        )
        .select_related("person__organisation", "program")
        .first()
    )
    if contribution is None or contribution.person.anonymised_at is not None:
        return
    person = contribution.person
    program = contribution.program or home_program(person)
    if program is None:
        return
    ledger.earn(
        person,
        program,
        RuleKind.CONTRIBUTION,
        key=f"contribution:{contribution.pk}",
        event=event,
        detail={"contribution": contribution.title[:200], "kind": contribution.kind},
    )


@subscribe("field.report_accepted")
def points_for_a_field_report(event: DomainEvent) -> None:
    """The field app is above recognition: its report is known by the event's payload
    only (the reporter, the program they were in when they filed it)."""
    person = _person(event)
    if person is None:
        return
    program = Program.objects.filter(
        organisation_id=person.organisation_id,
        pk=event.payload.get("program_id") or 0,
        status=Program.Status.ACTIVE,
    ).first() or home_program(person)
    if program is None:
        return
    ledger.earn(
        person,
        program,
        RuleKind.FIELD_REPORT,
        key=f"field_report:{event.payload.get('report_id')}",
        event=event,
        detail={"field_report_kind": str(event.payload.get("kind", ""))[:40]},
    )
