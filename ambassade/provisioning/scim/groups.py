"""A department or site as a SCIM Group, and a Group's request as what it should be."""

from __future__ import annotations

import copy
import re
from typing import Any

from ambassade.people.models import Department, Person, Site
from ambassade.provisioning.scim.errors import invalid_path, invalid_syntax, invalid_value
from ambassade.provisioning.scim.models import GROUP_SCHEMA
from ambassade.provisioning.scim.users import check_schemas, user_location, version

KEPT = {"displayname", "members", "externalid"}
IGNORED = {"id", "meta", "schemas"}
PREFIX = {"departments": "department", "sites": "site"}
MEMBER_FILTER = re.compile(r'^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$', re.IGNORECASE)


def group_id(kind: str, pk: int) -> str:
    return f"{PREFIX[kind]}-{pk}"


def parse_id(kind: str, text: str) -> int | None:
    prefix, _, number = text.partition("-")
    if prefix != PREFIX[kind] or not number.isdigit():
        return None
    return int(number)


def representation(
    kind: str, place: Department | Site, external_id: str, members: list[Person] | None, base: str
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "schemas": [GROUP_SCHEMA],
        "id": group_id(kind, place.pk),
        "displayName": place.name,
    }
    if external_id:
        resource["externalId"] = external_id
    if members is not None:
        resource["members"] = [
            {"value": str(person.pk), "$ref": user_location(base, person.pk), "type": "User"}
            for person in members
        ]
    return resource


def with_meta(resource: dict[str, Any], base: str) -> dict[str, Any]:
    result = dict(resource)
    result["meta"] = {
        "resourceType": "Group",
        "location": f"{base}/Groups/{resource['id']}",
        "version": version(resource),
    }
    return result


def parse(body: dict[str, Any]) -> tuple[str, str, list[str]]:
    """displayName, externalId and the members' ids of a POST or PUT."""
    check_schemas(body, GROUP_SCHEMA)
    values: dict[str, Any] = {}
    for key, value in body.items():
        lowered = key.lower()
        if lowered.startswith(GROUP_SCHEMA.lower() + ":"):
            lowered = lowered.rsplit(":", 1)[1]
        if lowered in KEPT:
            values[lowered] = value
        elif lowered not in IGNORED:
            raise invalid_syntax(f"Unknown attribute '{key}' in a Group.")
    name = values.get("displayname")
    if not isinstance(name, str) or not name.strip():
        raise invalid_value("'displayName' is required.")
    external_id = values.get("externalid") or ""
    if not isinstance(external_id, str):
        raise invalid_value("'externalId' must be a string.")
    return name.strip(), external_id.strip(), _member_ids(values.get("members") or [])


def _member_ids(members: Any) -> list[str]:
    if isinstance(members, dict):
        members = [members]
    if not isinstance(members, list):
        raise invalid_value("'members' must be a list of objects with a 'value'.")
    ids = []
    for member in members:
        if not isinstance(member, dict):
            raise invalid_value("'members' must be a list of objects with a 'value'.")
        lowered = {key.lower(): value for key, value in member.items()}
        if str(lowered.get("type") or "User").lower() != "user":
            raise invalid_value("members: a Group's members are Users; groups cannot be nested.")
        value = lowered.get("value")
        if not isinstance(value, str | int) or isinstance(value, bool) or not str(value):
            raise invalid_value("members: each member needs a 'value', a User's id.")
        ids.append(str(value))
    return ids


def apply_patch(resource: dict[str, Any], ops: list[dict[str, Any]]) -> dict[str, Any]:
    """A Group's PATCH: displayName, externalId, members (add, remove one or all, replace)."""
    result = copy.deepcopy(resource)
    result.setdefault("members", [])
    for operation in ops:
        op, path, value = operation["op"], operation["path"], operation["value"]
        if not path:
            if not isinstance(value, dict):
                raise invalid_syntax(f"{op} without a path needs an object value.")
            for key, item in value.items():
                _at_path(result, op, key, item)
        else:
            _at_path(result, op, path, value)
    return result


def _at_path(resource: dict[str, Any], op: str, path: str, value: Any) -> None:
    text = path.strip()
    if text.lower().startswith(GROUP_SCHEMA.lower() + ":"):
        text = text[len(GROUP_SCHEMA) + 1 :]
    lowered = text.lower()
    one = MEMBER_FILTER.match(text)
    if one is not None:
        if op != "remove":
            raise invalid_path("Only remove may target one member (members[value eq …]).")
        resource["members"] = [m for m in resource["members"] if str(m["value"]) != one[1]]
    elif lowered == "members":
        ids = [] if op == "remove" and value is None else _member_ids(value)
        current = [str(member["value"]) for member in resource["members"]]
        if op == "add":
            wanted = current + [item for item in ids if item not in current]
        elif op == "remove":
            wanted = [item for item in current if item not in ids] if ids else []
        else:
            wanted = ids
        resource["members"] = [{"value": item} for item in wanted]
    elif lowered in ("id", "schemas", "meta"):
        return  # Okta repeats the id; read-only attributes are ignored (RFC 7644 §3.5.2)
    elif lowered in ("displayname", "externalid"):
        key = "displayName" if lowered == "displayname" else "externalId"
        if op == "remove":
            resource.pop(key, None)
        else:
            resource[key] = value
    else:
        raise invalid_path(f"Unknown or unsupported path '{path}'.")
