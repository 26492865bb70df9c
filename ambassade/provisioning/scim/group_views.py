"""The SCIM Groups: the departments or the sites, as the provisioning page says."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from ambassade.people.models import Department, Person, Site
from ambassade.provisioning import actions
from ambassade.provisioning.actions.console import settings_of
from ambassade.provisioning.actions.groups import GroupInput, link_of, members_of, model_of
from ambassade.provisioning.models import Outcome, ScimGroup
from ambassade.provisioning.scim import attributes, discovery, filters, groups, patch
from ambassade.provisioning.scim.errors import not_found, scim_response
from ambassade.provisioning.scim.models import GROUP_SCHEMA
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

Place = Department | Site


def _kind(scim: Scim) -> str:
    return settings_of(scim.actor.organisation).groups_are


def _places(scim: Scim, kind: str) -> QuerySet[Any]:
    unmapped = ScimGroup.objects.filter(
        organisation=scim.actor.organisation, kind=kind, unmapped_at__isnull=False
    ).values("object_id")
    return (
        model_of(kind)
        .objects.filter(organisation=scim.actor.organisation)
        .exclude(pk__in=unmapped)
        .order_by("pk")
    )


def _place(scim: Scim, kind: str, scim_id: str) -> Place:
    pk = groups.parse_id(kind, scim_id)
    found = _places(scim, kind).filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise not_found(f"No Group with id '{scim_id[:40]}'.")
    return found


def _filters(scim: Scim, kind: str) -> filters.Fields:
    def by_id(value: str) -> Q:
        pk = groups.parse_id(kind, value)
        return Q(pk=pk) if pk is not None else Q(pk__in=[])

    def by_external_id(value: str) -> Q:
        ids = ScimGroup.objects.filter(
            organisation=scim.actor.organisation, kind=kind, external_id=value
        ).values("object_id")
        return Q(pk__in=ids)

    return {
        "id": filters.Field("pk", to_q=by_id),
        "displayname": filters.Field("name"),
        "externalid": filters.Field("pk", to_q=by_external_id),
    }


def _members_filter(scim: Scim, kind: str) -> filters.ValueFilter:
    """members[value eq "12"]: the group of the person 12 (Entra ID asks it)."""

    def value_filter(attribute: str, sub: str, operator: str, value: str) -> Q | None:
        if attribute != "members" or sub != "value" or operator != "eq":
            return None
        field = "department_id" if kind == "departments" else "site_id"
        person = (
            Person.objects.filter(organisation=scim.actor.organisation, pk=int(value)).first()
            if value.isdigit()
            else None
        )
        place_id = getattr(person, field, None) if person is not None else None
        return Q(pk=place_id) if place_id is not None else Q(pk__in=[])

    return value_filter


def _resource(scim: Scim, kind: str, place: Place, with_members: bool = True) -> dict[str, Any]:
    link = link_of(scim.actor, kind, place)
    members = members_of(kind, place) if with_members else None
    return groups.representation(kind, place, link.external_id, members, scim.base)


def _answer(
    request: HttpRequest, scim: Scim, resource: dict[str, Any], status: int = 200
) -> HttpResponse:
    return resource_response(request, groups.with_meta(resource, scim.base), GROUP_SCHEMA, status)


def _record(
    scim: Scim, request: HttpRequest, kind: str, place: Place, outcome: str, changed: list[str]
) -> None:
    actions.record_event(
        scim.token,
        method=request.method or "",
        resource_type="Group",
        resource_id=groups.group_id(kind, place.pk),
        label=place.name,
        outcome=outcome,
        status=201 if request.method == "POST" else 200,
        changed=changed,
    )


@endpoint(("GET", "POST"), "Group")
def group_list(request: HttpRequest, scim: Scim) -> HttpResponse:
    kind = _kind(scim)
    if request.method == "POST":
        name, external_id, members = groups.parse(body_of(request))
        place = actions.create_group(scim.actor, kind, GroupInput(name, external_id, members))
        resource = _resource(scim, kind, place)
        _record(scim, request, kind, place, Outcome.CREATED, changed_attributes({}, resource))
        return _answer(request, scim, resource, 201)
    places = _places(scim, kind)
    text = request.GET.get("filter", "")
    if text:
        places = places.filter(
            filters.to_q(text, _filters(scim, kind), _members_filter(scim, kind), GROUP_SCHEMA)
        )
    start, count = paging(request)
    total = places.count()
    page = list(places[start - 1 : start - 1 + count]) if count else []
    excluded = request.GET.get("excludedAttributes", "").lower()
    resources = []
    for place in page:
        resource = _resource(scim, kind, place, with_members="members" not in excluded)
        full = groups.with_meta(resource, scim.base)
        resources.append(
            attributes.project(
                full,
                request.GET.get("attributes", ""),
                request.GET.get("excludedAttributes", ""),
                GROUP_SCHEMA,
            )
        )
    return scim_response(discovery.list_response(resources, total, start))


@endpoint(("GET", "PUT", "PATCH", "DELETE"), "Group")
def group_detail(request: HttpRequest, scim: Scim, scim_id: str) -> HttpResponse:
    kind = _kind(scim)
    place = _place(scim, kind, scim_id)
    current = _resource(scim, kind, place)
    version = groups.version(current)
    if request.method == "GET":
        if not_modified(request, version):
            return HttpResponse(status=304, headers={"ETag": version})
        return _answer(request, scim, current)
    check_if_match(request, version)
    if request.method == "DELETE":
        actions.unmap_group(scim.actor, kind, place)
        _record(scim, request, kind, place, Outcome.REMOVED, [])
        return HttpResponse(status=204)
    body = body_of(request)
    if request.method == "PATCH":
        wanted_resource = groups.apply_patch(current, patch.operations(body))
        wanted_resource["schemas"] = current["schemas"]
    else:
        wanted_resource = body
    name, external_id, members = groups.parse(wanted_resource)
    wanted = GroupInput(name, external_id, members)
    present = [str(member["value"]) for member in current.get("members", [])]
    if (name, external_id, sorted(members)) == (
        place.name,
        current.get("externalId", ""),
        sorted(present),
    ):
        return _answer(request, scim, current)
    place = actions.replace_group(scim.actor, kind, place, wanted)
    resource = _resource(scim, kind, place)
    _record(scim, request, kind, place, Outcome.CHANGED, changed_attributes(current, resource))
    return _answer(request, scim, resource)
