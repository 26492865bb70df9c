"""The SCIM endpoints of /scim/v2/: discovery, and Users. Thin: parsing here, writes in
``provisioning.actions``. Groups are in ``group_views``."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ambassade.core.models import AuditEvent
from ambassade.people.models import EmploymentStatus, Person
from ambassade.provisioning import actions
from ambassade.provisioning.models import Outcome, RemovedUser
from ambassade.provisioning.scim import attributes, discovery, filters, patch, users
from ambassade.provisioning.scim.errors import ScimError, invalid_value, not_found, scim_response
from ambassade.provisioning.scim.models import ENTERPRISE_SCHEMA, USER_SCHEMA
from ambassade.provisioning.scim.protocol import (
    Scim,
    body_of,
    changed_attributes,
    check_if_match,
    endpoint,
    not_modified,
    paging,
    resource_response,
)

ANONYMISED = (
    "active: this person was anonymised after their departure (retention period over) and "
    "cannot be reactivated; create a new User instead."
)


def _active(value: str) -> Q:
    left = Q(employment_status=EmploymentStatus.LEFT) | Q(anonymised_at__isnull=False)
    return ~left if filters.boolean(value) else left


def _manager(value: str) -> Q:
    return Q(manager_id=int(value)) if value.isdigit() else Q(pk__in=[])


E = ENTERPRISE_SCHEMA.lower()
USER_FILTERS: filters.Fields = {
    "id": filters.Field(
        "pk", to_q=lambda value: Q(pk=int(value)) if value.isdigit() else Q(pk__in=[])
    ),
    "username": filters.Field("email"),
    "externalid": filters.Field("external_id", case_exact=True),
    "emails": filters.Field("email"),
    "emails.value": filters.Field("email"),
    "name.givenname": filters.Field("first_name"),
    "name.familyname": filters.Field("last_name"),
    "title": filters.Field("job_title"),
    "active": filters.Field("employment_status", boolean=True, to_q=_active),
    f"{E}:employeenumber": filters.Field("employee_number", case_exact=True),
    f"{E}:department": filters.Field("department__name"),
    f"{E}:manager.value": filters.Field("manager", to_q=_manager),
    f"{E}:manager": filters.Field("manager", to_q=_manager),
}


def _emails_filter(attribute: str, sub: str, operator: str, value: str) -> Q | None:
    """emails[…]: the one address is of type work and primary."""
    if attribute != "emails":
        return None
    if sub == "type" and operator == "eq":
        return Q() if value.lower() == "work" else Q(pk__in=[])
    if sub == "primary" and operator == "eq":
        return Q() if filters.boolean(value) else Q(pk__in=[])
    if sub == "value" and operator in filters.STRING_OPERATORS:
        return filters._Translator.string(filters.Field("email"), operator, value)
    return None


def _people(scim: Scim) -> QuerySet[Person]:
    removed = RemovedUser.objects.filter(organisation=scim.actor.organisation).values("person")
    return (
        Person.objects.filter(organisation=scim.actor.organisation)
        .exclude(pk__in=removed)
        .select_related("department")
        .order_by("pk")
    )


def _last_changes(scim: Scim, people: list[Person]) -> dict[str, Any]:
    """meta.lastModified: the latest audit row about each person (one query a page)."""
    rows = (
        AuditEvent.objects.filter(
            organisation=scim.actor.organisation,
            target_type="people.person",
            target_id__in=[str(person.pk) for person in people],
        )
        .values("target_id")
        .annotate(last=Max("created_at"))
    )
    return {row["target_id"]: row["last"] for row in rows}


def _person(scim: Scim, scim_id: str) -> Person:
    found = _people(scim).filter(pk=int(scim_id)).first() if scim_id.isdigit() else None
    if found is None:
        raise not_found(f"No User with id '{scim_id[:40]}'.")
    return found


def _answer(request: HttpRequest, scim: Scim, person: Person, status: int = 200) -> HttpResponse:
    last = _last_changes(scim, [person]).get(str(person.pk))
    resource = users.with_meta(person, scim.base, last)
    return resource_response(request, resource, USER_SCHEMA, status)


def _record(
    scim: Scim, request: HttpRequest, person: Person, outcome: str, changed: list[str]
) -> None:
    actions.record_event(
        scim.token,
        method=request.method or "",
        resource_type="User",
        resource_id=str(person.pk),
        label=person.full_name,
        outcome=outcome,
        status=201 if outcome == Outcome.CREATED and request.method == "POST" else 200,
        changed=changed,
    )


@endpoint(("GET",))
def service_provider_config(request: HttpRequest, scim: Scim) -> HttpResponse:
    documentation = request.build_absolute_uri(reverse("provisioning:console"))
    return scim_response(discovery.service_provider_config(scim.base, documentation))


@endpoint(("GET",))
def resource_types(request: HttpRequest, scim: Scim, name: str = "") -> HttpResponse:
    found = discovery.resource_types(scim.base)
    if name:
        for item in found:
            if item["id"] == name:
                return scim_response(item)
        raise not_found(f"No resource type '{name[:40]}'.")
    return scim_response(discovery.list_response(found, len(found)))


@endpoint(("GET",))
def schemas(request: HttpRequest, scim: Scim, urn: str = "") -> HttpResponse:
    found = discovery.all_schemas(scim.base)
    if urn:
        for item in found:
            if item["id"].lower() == urn.lower():
                return scim_response(item)
        raise not_found(f"No schema '{urn[:100]}'.")
    return scim_response(discovery.list_response(found, len(found)))


@endpoint(("GET", "POST", "PUT", "PATCH", "DELETE"))
def unknown(request: HttpRequest, scim: Scim, rest: str = "") -> HttpResponse:
    if rest.rstrip("/").endswith(".search") and request.method == "POST":
        raise ScimError(501, "Searching with POST /.search is not supported; use GET with filter.")
    raise not_found(f"No SCIM endpoint at /{rest[:100]}.")


@endpoint(("GET", "POST"), "User")
def user_list(request: HttpRequest, scim: Scim) -> HttpResponse:
    if request.method == "POST":
        wanted = users.parse(body_of(request))
        person, outcome = actions.create_user(scim.actor, wanted)
        person = _person(scim, str(person.pk))
        _record(
            scim,
            request,
            person,
            outcome,
            changed_attributes({}, users.representation(person, scim.base)),
        )
        return _answer(request, scim, person, 201)
    people = _people(scim)
    text = request.GET.get("filter", "")
    if text:
        people = people.filter(filters.to_q(text, USER_FILTERS, _emails_filter, USER_SCHEMA))
    start, count = paging(request)
    total = people.count()
    page = list(people[start - 1 : start - 1 + count]) if count else []
    last = _last_changes(scim, page)
    resources = [
        attributes.project(
            users.with_meta(person, scim.base, last.get(str(person.pk))),
            request.GET.get("attributes", ""),
            request.GET.get("excludedAttributes", ""),
            USER_SCHEMA,
        )
        for person in page
    ]
    return scim_response(discovery.list_response(resources, total, start))


@endpoint(("GET", "PUT", "PATCH", "DELETE"), "User")
def user_detail(request: HttpRequest, scim: Scim, scim_id: str) -> HttpResponse:
    person = _person(scim, scim_id)
    current = users.representation(person, scim.base)
    version = users.version(current)
    if request.method == "GET":
        if not_modified(request, version):
            return HttpResponse(status=304, headers={"ETag": version})
        return _answer(request, scim, person)
    check_if_match(request, version)
    if request.method == "DELETE":
        actions.remove_user(scim.actor, person)
        _record(scim, request, person, Outcome.REMOVED, [])
        return HttpResponse(status=204)
    body = body_of(request)
    wanted_resource = (
        body if request.method == "PUT" else patch.apply(current, patch.operations(body))
    )
    if person.anonymised_at is not None:
        # Its data is gone on purpose: nothing is written back; only a reactivation is refused.
        if users.boolean(wanted_resource.get("active", False)):
            raise invalid_value(ANONYMISED)
        return _answer(request, scim, person)
    if request.method == "PATCH" and "schemas" not in wanted_resource:
        wanted_resource["schemas"] = current["schemas"]
    wanted = users.parse(wanted_resource)
    if wanted == users.parse(current):
        return _answer(request, scim, person)  # Entra ID's periodic "active: true": no noise
    person, outcome = actions.replace_user(scim.actor, person, wanted)
    person = _person(scim, scim_id)
    changed = changed_attributes(current, users.representation(person, scim.base))
    _record(scim, request, person, outcome, changed)
    return _answer(request, scim, person)
