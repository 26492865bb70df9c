"""Which queue a report goes to, who owns a queue, and who may triage which report.

A queue is a role, optionally narrowed to one department: its owners are the people who
hold the role (and belong to the department, when one is set). A report keeps the queue
it was routed to when filed; a later change of routing applies to new reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ambassade.core.authz import Actor, allowed
from ambassade.core.models import Organisation
from ambassade.field.models import DEFAULT_ROUTES, FieldReport, ReportKind, Route
from ambassade.people.models import Department, EmploymentStatus, Person


@dataclass(frozen=True)
class Queue:
    kind: str
    role: str
    department: Department | None
    configured: bool  # False: the default of DEFAULT_ROUTES


def routes_of(organisation: Organisation) -> list[Queue]:
    """Every kind's queue, in the order of ReportKind."""
    saved = {
        route.kind: route
        for route in Route.objects.filter(organisation=organisation).select_related("department")
    }
    queues = []
    for kind in ReportKind.values:
        route = saved.get(kind)
        if route is not None:
            queues.append(Queue(kind, route.role, route.department, True))
        else:
            queues.append(Queue(kind, DEFAULT_ROUTES[kind], None, False))
    return queues


def route_for(organisation: Organisation, kind: str) -> Queue:
    return next(queue for queue in routes_of(organisation) if queue.kind == kind)


def owners(organisation_id: int, role: str, department_id: int | None) -> QuerySet[Person]:
    """The people who own a queue: the role, the department if one is set, still here."""
    people = Person.objects.filter(
        organisation_id=organisation_id,
        anonymised_at__isnull=True,
        role_assignments__role=role,
    ).exclude(employment_status=EmploymentStatus.LEFT)
    if department_id is not None:
        people = people.filter(department_id=department_id)
    return people.distinct().order_by("last_name", "first_name", "id")


def _queue_condition(actor: Actor) -> Q:
    """The reports of the queues the actor owns."""
    person = actor.person
    if person is None or not allowed(actor, "field.triage"):
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    for role in actor.roles:
        mine = Q(owner_role=role) & (
            Q(department__isnull=True) | Q(department_id=person.department_id or 0)
        )
        condition |= mine
    return condition


def queue(actor: Actor) -> QuerySet[FieldReport]:
    """The reports the actor may triage, in their organisation."""
    return (
        FieldReport.objects.filter(organisation=actor.organisation)
        .filter(_queue_condition(actor))
        .select_related("reporter", "department", "answered_by")
    )


def may_triage(actor: Actor | None, report: FieldReport) -> bool:
    if actor is None or actor.person is None or not allowed(actor, "field.triage"):
        return False
    if report.organisation_id != actor.organisation.pk or report.owner_role not in actor.roles:
        return False
    return report.department_id is None or report.department_id == actor.person.department_id
