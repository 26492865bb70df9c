"""A person as a SCIM User, and a SCIM User's attributes as a person's fields.

userName is the work e-mail address (lowercased); name.givenName and name.familyName the
first and last names; title the job title; active false once the person has left. The
enterprise extension carries the employee number, the department (by name) and the
manager (by SCIM id). Standard attributes Ambassade does not keep (phone numbers,
addresses, preferred language...) are accepted and ignored; any other is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from ambassade.people.models import EmploymentStatus, Person
from ambassade.provisioning.scim.errors import invalid_syntax, invalid_value
from ambassade.provisioning.scim.models import ENTERPRISE_SCHEMA, USER_SCHEMA

# Kept, by their lowercased names (attribute names are case-insensitive, RFC 7643 §2.1).
USER_ATTRIBUTES = {
    "username": "userName",
    "name": "name",
    "title": "title",
    "emails": "emails",
    "active": "active",
    "externalid": "externalId",
}
NAME_ATTRIBUTES = {"givenname": "givenName", "familyname": "familyName"}
ENTERPRISE_ATTRIBUTES = {
    "employeenumber": "employeeNumber",
    "department": "department",
    "manager": "manager",
}
# Of the standard schemas, accepted and not kept (or answered by Ambassade itself).
IGNORED_USER = {
    "id",
    "meta",
    "schemas",
    "displayname",
    "nickname",
    "profileurl",
    "usertype",
    "preferredlanguage",
    "locale",
    "timezone",
    "password",
    "phonenumbers",
    "ims",
    "photos",
    "addresses",
    "groups",
    "entitlements",
    "roles",
    "x509certificates",
}
IGNORED_NAME = {"formatted", "middlename", "honorificprefix", "honorificsuffix"}
IGNORED_ENTERPRISE = {"costcenter", "organization", "division"}
KNOWN_SCHEMAS = {USER_SCHEMA.lower(), ENTERPRISE_SCHEMA.lower()}


def user_location(base: str, person_id: int | str) -> str:
    return f"{base}/Users/{person_id}"


def representation(person: Person, base: str) -> dict[str, Any]:
    """The User without its meta: what the version (ETag) is computed from."""
    anonymised = person.anonymised_at is not None
    resource: dict[str, Any] = {
        "schemas": [USER_SCHEMA],
        "id": str(person.pk),
        "userName": person.email,
        "name": {"givenName": person.first_name, "familyName": person.last_name},
        "displayName": person.full_name,
        "emails": [{"value": person.email, "type": "work", "primary": True}],
        "active": person.employment_status != EmploymentStatus.LEFT and not anonymised,
    }
    if person.external_id:
        resource["externalId"] = person.external_id
    if person.job_title:
        resource["title"] = person.job_title
    enterprise: dict[str, Any] = {}
    if person.employee_number:
        enterprise["employeeNumber"] = person.employee_number
    if person.department_id is not None:
        enterprise["department"] = person.department.name  # type: ignore[union-attr]
    if person.manager_id is not None:
        enterprise["manager"] = {
            "value": str(person.manager_id),
            "$ref": user_location(base, person.manager_id),
        }
    if enterprise:
        resource["schemas"] = [USER_SCHEMA, ENTERPRISE_SCHEMA]
        resource[ENTERPRISE_SCHEMA] = enterprise
    return resource


def version(resource: dict[str, Any]) -> str:
    """A weak ETag from the resource's content: any change, by any writer, changes it."""
    text = json.dumps(resource, sort_keys=True, ensure_ascii=False)
    return 'W/"' + hashlib.sha256(text.encode()).hexdigest()[:20] + '"'


def with_meta(person: Person, base: str, last_modified: Any = None) -> dict[str, Any]:
    resource = representation(person, base)
    resource["meta"] = {
        "resourceType": "User",
        "created": person.created_at.isoformat(),
        "lastModified": (last_modified or person.created_at).isoformat(),
        "location": user_location(base, person.pk),
        "version": version(resource),
    }
    return resource


@dataclass
class UserInput:
    """What a User resource asks for, as the person's fields."""

    email: str
    first_name: str
    last_name: str
    job_title: str
    external_id: str
    active: bool
    employee_number: str
    department: str  # a name, "" for none
    manager: str  # a SCIM id, "" for none


def _text(value: Any, attribute: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise invalid_value(f"'{attribute}' must be a string.")
    return str(value).strip()


def boolean(value: Any, attribute: str = "active") -> bool:
    """A JSON boolean, or the strings "True"/"False" that Entra ID sends."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_value(f"'{attribute}' must be true or false.")


def check_schemas(body: dict[str, Any], core: str) -> None:
    schemas = body.get("schemas")
    if not isinstance(schemas, list) or not all(isinstance(item, str) for item in schemas):
        raise invalid_syntax(f"'schemas' must be a list that names {core}.")
    lowered = {item.lower() for item in schemas}
    if core.lower() not in lowered:
        raise invalid_value(f"'schemas' must name {core}.")
    unknown = sorted(item for item in schemas if item.lower() not in KNOWN_SCHEMAS | {core.lower()})
    if unknown:
        raise invalid_value(f"Unknown schema: {', '.join(unknown)}.")


def _work_email(emails: Any) -> str:
    if emails is None:
        return ""
    if isinstance(emails, dict):
        emails = [emails]
    if not isinstance(emails, list) or not all(isinstance(item, dict) for item in emails):
        raise invalid_value("'emails' must be a list of objects with a 'value'.")
    ranked = sorted(
        emails,
        key=lambda item: (
            str(item.get("type", "")).lower() != "work",
            not boolean(item.get("primary", False), "emails.primary"),
        ),
    )
    return _text(ranked[0].get("value"), "emails.value").lower() if ranked else ""


def _split(body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The core attributes and the enterprise ones, by lowercased names; unknown refused."""
    core: dict[str, Any] = {}
    enterprise: dict[str, Any] = {}
    for key, value in body.items():
        lowered = key.lower()
        if lowered == ENTERPRISE_SCHEMA.lower():
            if value is None:
                continue
            if not isinstance(value, dict):
                raise invalid_syntax(f"'{ENTERPRISE_SCHEMA}' must be an object.")
            for inner, inner_value in value.items():
                name = inner.lower()
                if name == "schemas":
                    continue
                if name in ENTERPRISE_ATTRIBUTES:
                    enterprise[name] = inner_value
                elif name not in IGNORED_ENTERPRISE:
                    raise invalid_syntax(f"Unknown attribute '{inner}' in {ENTERPRISE_SCHEMA}.")
        elif lowered.startswith(USER_SCHEMA.lower() + ":"):
            core[lowered.rsplit(":", 1)[1]] = value
        elif lowered in USER_ATTRIBUTES:
            core[lowered] = value
        elif lowered not in IGNORED_USER:
            raise invalid_syntax(f"Unknown attribute '{key}' in a User.")
    return core, enterprise


def parse(body: dict[str, Any]) -> UserInput:
    """A User of a POST or PUT (or a PATCH's result). Absent attributes are empty."""
    check_schemas(body, USER_SCHEMA)
    core, enterprise = _split(body)
    name = core.get("name") or {}
    if not isinstance(name, dict):
        raise invalid_value("'name' must be an object with givenName and familyName.")
    given = family = ""
    for key, value in name.items():
        lowered = key.lower()
        if lowered == "givenname":
            given = _text(value, "name.givenName")
        elif lowered == "familyname":
            family = _text(value, "name.familyName")
        elif lowered not in IGNORED_NAME:
            raise invalid_syntax(f"Unknown attribute 'name.{key}' in a User.")
    user_name = _text(core.get("username"), "userName").lower()
    email = user_name or _work_email(core.get("emails"))
    if not user_name:
        raise invalid_value("'userName' is required: the person's work e-mail address.")
    try:
        validate_email(email)
    except ValidationError:
        raise invalid_value(
            "'userName' must be the work e-mail address, and this one is not an e-mail address."
        ) from None
    if not given or not family:
        raise invalid_value("'name.givenName' and 'name.familyName' are both required.")
    manager = enterprise.get("manager")
    if isinstance(manager, dict):
        lowered_manager = {key.lower(): value for key, value in manager.items()}
        manager = lowered_manager.get("value")
    active = core.get("active", True)
    return UserInput(
        email=email,
        first_name=given,
        last_name=family,
        job_title=_text(core.get("title"), "title"),
        external_id=_text(core.get("externalid"), "externalId"),
        active=True if active is None else boolean(active),
        employee_number=_text(enterprise.get("employeenumber"), "employeeNumber"),
        department=_text(enterprise.get("department"), "department"),
        manager=_text(manager, "manager.value"),
    )
